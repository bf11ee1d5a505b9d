#!/usr/bin/env node
import { loadConfig, USAGE } from './config.js'
import type { Logger } from './logger.js'
import { createSignalingServer } from './server.js'

const logger: Logger = {
  info: (message) => console.log(message),
  warn: (message) => console.warn(message),
}

async function main(): Promise<void> {
  const config = loadConfig(process.argv.slice(2), process.env)
  if (config.help) {
    console.log(USAGE)
    return
  }
  const server = await createSignalingServer({
    port: config.port,
    host: config.host,
    corsOrigin: config.corsOrigin,
    logger,
    ...(config.jwtSecret === undefined ? {} : { jwtSecret: config.jwtSecret }),
  })
  const mode = config.jwtSecret === undefined ? 'dev mode: any user id accepted' : 'token mode'
  console.log(`Ferry signaling listening on ${server.url} (${mode})`)

  let stopping = false
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return
    stopping = true
    console.log(`${signal}: closing`)
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`closing failed: ${String(error)}`)
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((error: unknown) => {
  console.error(`ferry-signaling: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
})
