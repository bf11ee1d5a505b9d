import { type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http'
import type { Duplex } from 'node:stream'
import type { FerryErrorCode } from '@ferry/protocol'

/**
 * The requests each connection still owes an answer, so that a client error on it is answered only
 * after them: writing sooner would cut into an answer under way.
 */
export class OpenAnswers {
  private readonly open = new WeakMap<Duplex, Set<IncomingMessage>>()
  private readonly waiting = new WeakMap<Duplex, () => void>()

  track(req: IncomingMessage, res: ServerResponse): void {
    const socket = req.socket
    const requests = this.open.get(socket) ?? new Set()
    requests.add(req)
    this.open.set(socket, requests)
    res.once('close', () => {
      requests.delete(req)
      if (requests.size > 0) return
      this.open.delete(socket)
      const then = this.waiting.get(socket)
      this.waiting.delete(socket)
      then?.()
    })
  }

  /** Whether a request on `socket` awaits an answer while its body is still to come. */
  awaitsBody(socket: Duplex): boolean {
    for (const req of this.open.get(socket) ?? []) if (!req.complete) return true
    return false
  }

  /** Runs `then` once `socket` owes no answer (now, if it owes none); only the first `then` of a socket runs. */
  afterOpen(socket: Duplex, then: () => void): void {
    if (!this.open.has(socket)) then()
    else if (!this.waiting.has(socket)) this.waiting.set(socket, then)
  }
}

interface Answer {
  status: number
  code: FerryErrorCode
  message: string
}

/** Node's codes for errors past which nothing of a connection can be parsed, and how each is answered. */
const ANSWERS: Readonly<Record<string, Answer>> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    code: 'invalid-argument',
    message: "the request line and headers are over the server's limit",
  },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: {
    status: 413,
    code: 'invalid-argument',
    message: 'the chunk extensions are too long',
  },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, code: 'idle-timeout', message: 'the request did not arrive in time' },
}
/** Node's parser errors are named HPE_…: safe to echo, and they tell a client what was wrong. */
const PARSER_CODE = /^HPE_[A-Z_]{1,64}$/

/**
 * Node's `clientError`: a connection whose bytes are not HTTP/1.1 as the parser takes it (a bad
 * request line or header, framing that does not add up, a body past its length), headers over the
 * limit, or a request too slow to arrive. Nothing more of it is parsed; once the answers it is owed
 * are out, it gets the status and a JSON error like every other refusal, and is closed. It is cut at
 * once when it was reset or is closing, or when a request on it still waits for a body that can no
 * longer come.
 */
export function answerClientError(error: Error & { code?: unknown }, socket: Duplex, open: OpenAnswers): void {
  const code = typeof error.code === 'string' ? error.code : ''
  if (code === 'ECONNRESET' || !socket.writable || open.awaitsBody(socket)) {
    socket.destroy()
    return
  }
  open.afterOpen(socket, () => refuse(socket, code))
}

function refuse(socket: Duplex, code: string): void {
  if (!socket.writable) {
    socket.destroy()
    return
  }
  const answer = ANSWERS[code] ?? {
    status: 400,
    code: 'invalid-argument',
    message: `not an HTTP/1.1 request this server takes${PARSER_CODE.test(code) ? ` (${code})` : ''}`,
  }
  const body = JSON.stringify({ code: answer.code, message: answer.message })
  const head = [
    `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status] ?? ''}`,
    'content-type: application/json; charset=utf-8',
    `content-length: ${Buffer.byteLength(body)}`,
    'cache-control: no-store',
    'connection: close',
  ]
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`, () => socket.destroy())
}
