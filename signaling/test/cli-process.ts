import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** The CLI, started the way an operator starts it, in a process of its own. */
export interface CliProcess {
  url: string
  /** Set once the process exited (it never should). */
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined
  /** What it printed on stderr, for a failure message. */
  stderr(): string
  kill(): void
  /** SIGSTOP: the process stands still (no answer, no heartbeat) until `resume()`; the kernel still accepts connections. */
  pause(): void
  /** SIGCONT after `pause()`. */
  resume(): void
  /** Resolves once the process has exited. */
  exited(): Promise<void>
}

const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url))

/** How long the CLI may take to say it is listening, on a loaded machine with tsx compiling it. */
const START_TIMEOUT_MS = 30_000

/**
 * Starts `ferry-signaling` with `args` (after `--port 0 --host 127.0.0.1`); `t.after` kills it. Its state
 * is in memory unless `args` say where (the CLI's default, `.ferry-state` in the working directory,
 * would be shared by every test).
 */
export function startCli(t: { after(fn: () => void): void }, args: string[] = []): Promise<CliProcess> {
  const stateGiven = args.some((arg) => arg === '--state' || arg === '--state-dir')
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      CLI,
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      ...(stateGiven ? [] : ['--state', 'memory']),
      ...args,
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FERRY_ADMIN_KEY: undefined },
    },
  )
  let stderr = ''
  child.stderr?.on('data', (data: Buffer) => {
    stderr = (stderr + data.toString()).slice(-20_000)
  })
  const cli: CliProcess = {
    url: '',
    exit: undefined,
    stderr: () => stderr,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    },
    pause: () => {
      child.kill('SIGSTOP')
    },
    resume: () => {
      child.kill('SIGCONT')
    },
    exited: () =>
      child.exitCode !== null || child.signalCode !== null
        ? Promise.resolve()
        : new Promise((resolve) => child.once('exit', () => resolve())),
  }
  child.once('exit', (code, signal) => {
    cli.exit = { code, signal }
  })
  t.after(cli.kill)
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the CLI did not start: ${stderr}`)), START_TIMEOUT_MS)
    let stdout = ''
    child.stdout?.on('data', (data: Buffer) => {
      stdout += data.toString()
      const match = /listening on (http:\/\/\S+?)\s/.exec(stdout)
      if (match?.[1] && cli.url === '') {
        clearTimeout(timer)
        cli.url = match[1]
        resolve(cli)
      }
    })
    child.once('exit', () => reject(new Error(`the CLI exited while starting: ${stderr}`)))
  })
}
