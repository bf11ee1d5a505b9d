import { connect, type Socket } from 'node:net'

/** One HTTP answer as it came off the wire. */
export interface RawResponse {
  status: number
  /** Lowercase names. */
  headers: Map<string, string>
  body: string
}

/**
 * A TCP connection that writes bytes exactly as given (strings as latin1, one byte per character), so a
 * test can send what no HTTP client would, and reads back the answers as they come.
 */
export class RawConnection {
  readonly responses: RawResponse[] = []
  /** Resolves with every answer once the server closed the connection (or it was reset). */
  readonly closed: Promise<RawResponse[]>
  private buffer = Buffer.alloc(0)
  private waiters: { count: number; resolve: (responses: RawResponse[]) => void }[] = []
  private isClosed = false

  /** Whether the connection closed (by the server, or reset), as opposed to still open. */
  get wasClosed(): boolean {
    return this.isClosed
  }

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk])
      this.parse(false)
    })
    socket.on('error', () => {})
    this.closed = new Promise((resolve) => {
      socket.once('close', () => {
        this.parse(true)
        this.isClosed = true
        for (const waiter of this.waiters) waiter.resolve(this.responses)
        this.waiters = []
        resolve(this.responses)
      })
    })
  }

  /** Connects to 127.0.0.1:`port`, from `localAddress` when given (any of 127.0.0.0/8). */
  static open(port: number, localAddress?: string): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port, ...(localAddress === undefined ? {} : { localAddress }) })
      socket.once('error', reject)
      socket.once('connect', () => {
        socket.off('error', reject)
        resolve(new RawConnection(socket))
      })
    })
  }

  write(bytes: string | Uint8Array): void {
    if (!this.socket.writable) return
    this.socket.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes)
  }

  /** Resolves once `count` answers arrived, or with fewer when the connection closed first. */
  next(count: number): Promise<RawResponse[]> {
    if (this.responses.length >= count || this.isClosed) return Promise.resolve(this.responses)
    return new Promise((resolve) => this.waiters.push({ count, resolve }))
  }

  destroy(): void {
    this.socket.destroy()
  }

  /** Takes every complete answer off the buffer; at close, one without a length runs to the end. */
  private parse(atClose: boolean): void {
    for (;;) {
      const response = takeResponse(this.buffer, atClose)
      if (response === undefined) break
      this.responses.push(response.response)
      this.buffer = this.buffer.subarray(response.used)
    }
    const ready = this.waiters.filter((waiter) => this.responses.length >= waiter.count)
    this.waiters = this.waiters.filter((waiter) => this.responses.length < waiter.count)
    for (const waiter of ready) waiter.resolve(this.responses)
  }
}

/**
 * Sends `bytes` on a fresh connection and resolves with the answers once the server closed it, or,
 * given `answers`, once that many arrived (the client then drops the connection): `closed` says whether
 * the server had closed it by then.
 */
export async function exchange(
  port: number,
  bytes: string | Uint8Array,
  answers = Number.POSITIVE_INFINITY,
): Promise<{ responses: RawResponse[]; closed: boolean }> {
  const connection = await RawConnection.open(port)
  connection.write(bytes)
  const responses = [...(await connection.next(answers))]
  const closed = connection.wasClosed
  connection.destroy()
  return { responses, closed }
}

/** The JSON body of an answer. */
export function json(response: RawResponse | undefined): unknown {
  return JSON.parse(response?.body ?? 'null')
}

function takeResponse(buffer: Buffer, atClose: boolean): { response: RawResponse; used: number } | undefined {
  const end = buffer.indexOf('\r\n\r\n')
  if (end === -1) return undefined
  const [statusLine = '', ...lines] = buffer.subarray(0, end).toString('latin1').split('\r\n')
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? Number.NaN)
  const headers = new Map<string, string>()
  for (const line of lines) {
    const colon = line.indexOf(':')
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim())
  }
  const start = end + 4
  const length = headers.get('content-length')
  if (length !== undefined) {
    const stop = start + Number(length)
    if (buffer.length < stop) return undefined
    return { response: { status, headers, body: buffer.subarray(start, stop).toString('utf8') }, used: stop }
  }
  if (headers.get('transfer-encoding')?.toLowerCase() === 'chunked') return takeChunked(buffer, start, status, headers)
  if (!atClose) return undefined
  return { response: { status, headers, body: buffer.subarray(start).toString('utf8') }, used: buffer.length }
}

function takeChunked(
  buffer: Buffer,
  start: number,
  status: number,
  headers: Map<string, string>,
): { response: RawResponse; used: number } | undefined {
  const parts: Buffer[] = []
  let at = start
  for (;;) {
    const lineEnd = buffer.indexOf('\r\n', at)
    if (lineEnd === -1) return undefined
    const size = Number.parseInt(buffer.subarray(at, lineEnd).toString('latin1'), 16)
    if (Number.isNaN(size)) return undefined
    const dataEnd = lineEnd + 2 + size
    if (buffer.length < dataEnd + 2) return undefined
    if (size === 0) {
      return { response: { status, headers, body: Buffer.concat(parts).toString('utf8') }, used: dataEnd + 2 }
    }
    parts.push(buffer.subarray(lineEnd + 2, dataEnd))
    at = dataEnd + 2
  }
}
