#!/usr/bin/env node
import { resolve } from 'node:path'
import { loadConfig, USAGE } from './config.js'
import { describeError } from './describe-error.js'
import type { Logger } from './logger.js'
import { createSignalingServer } from './server.js'

const logger: Logger = {
  info: (message) => console.log(message),
  warn: (message) => console.warn(message),
}

// Logs go to stdout and stderr: when whoever reads them goes away (a closed pipe, EPIPE), the server
// keeps serving without them instead of failing on every line it writes (and on the line about that).
process.stdout.on('error', () => {})
process.stderr.on('error', () => {})

// The safety net: every input is parsed and every handler guarded, but should a bug still throw
// outside them, it is logged and the server keeps serving everyone else instead of exiting.
process.on('uncaughtException', (error) => logger.warn(`uncaught: ${describeError(error)}`))
process.on('unhandledRejection', (reason) => logger.warn(`unhandled rejection: ${describeError(reason)}`))

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
    relay: config.relay,
    relayBytesPerSecond: config.relayBytesPerSecond,
    media: config.media,
    maxConnectionsPerAddress: config.maxConnectionsPerAddress,
    ...(config.jwtSecret === undefined ? {} : { jwtSecret: config.jwtSecret }),
    ...(config.jwtIssuer === undefined ? {} : { jwtIssuer: config.jwtIssuer }),
    ...(config.jwtAudience === undefined ? {} : { jwtAudience: config.jwtAudience }),
    jwtMaxLifetimeSeconds: config.jwtMaxLifetimeSeconds,
    limits: { maxRoomMembers: config.maxRoomMembers },
    ...(config.stateDir === undefined ? {} : { stateDir: config.stateDir }),
    ...(config.adminKey === undefined ? {} : { adminKey: config.adminKey }),
    ...(config.turnSecret === undefined ? {} : { turnSecret: config.turnSecret }),
    ...(config.turnUrls === undefined ? {} : { turnUrls: config.turnUrls }),
    ...(config.redisUrl === undefined ? {} : { redisUrl: config.redisUrl }),
    ...(config.redisPrefix === undefined ? {} : { redisPrefix: config.redisPrefix }),
  })
  const mode = config.jwtSecret === undefined ? 'dev mode: any user id accepted' : 'token mode'
  const relay = config.relay ? `relay at ${config.relayBytesPerSecond} bytes/s per user` : 'relay off'
  const turn = config.turnUrls === undefined ? 'no TURN' : `TURN credentials for ${config.turnUrls.join(', ')}`
  const media = config.media === false ? 'no media store' : `media store in ${resolve(config.media.dir)}`
  const state = config.stateDir === undefined ? 'state in memory' : `state in ${resolve(config.stateDir)}`
  const api = config.adminKey === undefined ? 'server API off' : 'server API on'
  const nodes = config.redisUrl === undefined ? 'one node' : `nodes sharing Redis at ${redisHost(config.redisUrl)}`
  const where = config.redisUrl === undefined ? state : 'state in Redis'
  console.log(
    `Ferry signaling listening on ${server.url} (${mode}; ${relay}; ${turn}; ${media}; ${where}; ${api}; ${nodes})`,
  )

  let stopping = false
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return
    stopping = true
    console.log(`${signal}: closing`)
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`closing failed: ${describeError(error)}`)
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

/** Host and port of a Redis URL, never its password. */
function redisHost(url: string): string {
  return new URL(url).host
}

main().catch((error: unknown) => {
  console.error(`ferry-signaling: ${error instanceof Error ? error.message : describeError(error)}`)
  process.exit(1)
})
