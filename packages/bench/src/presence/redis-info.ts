import { createConnection } from 'node:net'

/** An INFO answer is a few KiB: anything far past this is not the Redis the bench started. */
const MAX_INFO_BYTES = 1024 * 1024

/** A throwaway Redis on the same machine answers INFO at once, even when busy. */
const INFO_TIMEOUT_MS = 10_000

/** What the bench's Redis holds and has spent so far (from INFO). */
export interface RedisFigures {
  /** `used_memory`: what Redis's allocator holds for data, in bytes. */
  usedMemoryBytes: number
  /** `used_cpu_user` + `used_cpu_sys` of the redis-server process, in seconds. */
  cpuSeconds: number
}

/** INFO from the Redis at `url` (`redis://host:port`, no password: the bench's own). */
export function redisFigures(url: string): Promise<RedisFigures> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: hostname, port: Number(port) })
    const chunks: Buffer[] = []
    let bytes = 0
    const fail = (error: Error): void => {
      socket.destroy()
      reject(error)
    }
    socket.setTimeout(INFO_TIMEOUT_MS, () => fail(new Error(`no INFO from Redis at ${url} in ${INFO_TIMEOUT_MS} ms`)))
    socket.once('error', fail)
    socket.once('connect', () => socket.write('INFO\r\n'))
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk)
      bytes += chunk.length
      if (bytes > MAX_INFO_BYTES) return fail(new Error(`Redis at ${url} sent more than ${MAX_INFO_BYTES} bytes`))
      const figures = parseInfo(Buffer.concat(chunks).toString('utf8'))
      if (figures === undefined) return
      socket.destroy()
      resolve(figures)
    })
  })
}

/** The figures from a whole INFO reply (`$<length>\r\n<text>\r\n`), or undefined while it is incomplete. */
function parseInfo(reply: string): RedisFigures | undefined {
  const headerEnd = reply.indexOf('\r\n')
  if (!reply.startsWith('$') || headerEnd < 0) return undefined
  const length = Number(reply.slice(1, headerEnd))
  const body = reply.slice(headerEnd + 2)
  if (!Number.isSafeInteger(length) || Buffer.byteLength(body, 'utf8') < length) return undefined
  const field = (name: string): number => {
    const match = new RegExp(`^${name}:([0-9.]+)\\r?$`, 'm').exec(body)
    return match ? Number(match[1]) : 0
  }
  return {
    usedMemoryBytes: field('used_memory'),
    cpuSeconds: field('used_cpu_user') + field('used_cpu_sys'),
  }
}
