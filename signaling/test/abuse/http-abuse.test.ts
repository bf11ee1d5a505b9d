import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { newMediaId } from '../media-client.js'
import { type AbuseScene, abuseScene } from './abuse-scene.js'
import { exchange, json, RawConnection, type RawResponse } from './raw-http.js'

/**
 * HTTP abuses sent over raw TCP, as no HTTP client would send them: each row asserts what the client
 * sees (a status and JSON code, or a closed connection), then the scene's checks (the server is up, a
 * well-behaved pair still exchanges a cmd, nothing was written to the media store).
 */

const ADMIN_KEY = 'an-admin-key-for-the-http-abuse-catalogue'
/** Small, so a few connections from another loopback address reach it. */
const CAP = 24
/** Short deadlines, so slow clients are cut within the test; still far above what a real request takes here. */
const HEADERS_TIMEOUT_MS = 1500
const REQUEST_TIMEOUT_MS = 3000
/** What the server's routes take, as a 405 to any other method says. */
const SERVED_METHODS = 'GET, POST, PUT, DELETE, OPTIONS'

let scene: AbuseScene
let port: number
/** Loopback addresses, one per row that needs connections of its own (the scene's own traffic is on 127.0.0.1). */
let nextAddress = 2

before(async () => {
  scene = await abuseScene({
    adminKey: ADMIN_KEY,
    maxConnectionsPerAddress: CAP,
    http: { headersTimeoutMs: HEADERS_TIMEOUT_MS, requestTimeoutMs: REQUEST_TIMEOUT_MS },
  })
  port = scene.server.port
})
after(() => scene.close())

/** A request as bytes: a request line, a Host, the given header lines, and the body. */
function request(line: string, headers: readonly string[] = [], body = ''): string {
  return `${line}\r\nHost: 127.0.0.1\r\n${headers.map((header) => `${header}\r\n`).join('')}\r\n${body}`
}

/** The answer is `status` with a JSON error of `code`. */
function assertRefused(response: RawResponse | undefined, status: number, code: string, what: string): void {
  assert.equal(response?.status, status, `${what}: status`)
  assert.equal((json(response) as { code?: unknown }).code, code, `${what}: code`)
}

/** Sends `bytes`; the server answers `status` with `code` and closes the connection. */
async function refusedAndClosed(bytes: string, status: number, code = 'invalid-argument'): Promise<RawResponse> {
  const { responses, closed } = await exchange(port, bytes)
  const what = JSON.stringify(bytes.slice(0, 60))
  assert.equal(responses.length, 1, `${what}: one answer`)
  assertRefused(responses[0], status, code, what)
  assert.ok(closed, `${what}: closed`)
  return responses[0] as RawResponse
}

const bearer = `Authorization: Bearer ${ADMIN_KEY}`
const mediaId = newMediaId()

const CASES: { name: string; run(): Promise<void> }[] = [
  {
    name: 'a target new URL() rejects (GET http://[) is a 400, not a crash',
    run: async () => {
      await refusedAndClosed(request('GET http://[ HTTP/1.1'), 400)
      await refusedAndClosed(request('GET http://[ HTTP/1.1', [bearer]), 400)
    },
  },
  {
    name: 'absolute-form targets are 400 on every route, Socket.IO’s path included',
    run: async () => {
      for (const target of [
        'http://127.0.0.1/healthz',
        'http://127.0.0.1/api/groups',
        `http://127.0.0.1/media/${mediaId}`,
        'https://[::1]:1/socket.io/?EIO=4&transport=polling',
      ]) {
        await refusedAndClosed(request(`GET ${target} HTTP/1.1`, [bearer]), 400)
      }
    },
  },
  {
    name: 'asterisk targets are 400 whatever the method',
    run: async () => {
      for (const method of ['OPTIONS', 'GET', 'POST', 'DELETE'])
        await refusedAndClosed(request(`${method} * HTTP/1.1`), 400)
    },
  },
  {
    name: 'bad percent-encoding (GET /healthz?%, /api/groups/%ZZ) and encoded bytes that are not UTF-8 are 400',
    run: async () => {
      for (const target of [
        '/healthz?%',
        '/healthz?a=%4',
        '/api/groups/%ZZ',
        '/api/groups/%FF',
        `/media/${mediaId}%`,
      ]) {
        await refusedAndClosed(request(`GET ${target} HTTP/1.1`, [bearer]), 400)
      }
    },
  },
  {
    name: 'dot segments (/media/../../etc/passwd, plain or encoded) are 400 before any route',
    run: async () => {
      for (const target of [
        '/media/../../etc/passwd',
        '/media/%2e%2e/%2E%2e/etc/passwd',
        `/media/./${mediaId}`,
        '/api/../healthz',
        '/api/groups/..',
      ]) {
        await refusedAndClosed(request(`GET ${target} HTTP/1.1`, [bearer]), 400)
      }
    },
  },
  {
    name: 'paths starting with // are 400',
    run: async () => {
      for (const target of ['//healthz', '//evil.example/api/groups', `//media/${mediaId}`]) {
        await refusedAndClosed(request(`GET ${target} HTTP/1.1`, [bearer]), 400)
      }
    },
  },
  {
    name: 'a header over the size limit is a 431',
    run: async () => {
      await refusedAndClosed(request('GET /healthz HTTP/1.1', [`X-Pad: ${'a'.repeat(20_000)}`]), 431)
    },
  },
  {
    name: 'three thousand tiny headers within the size limit: the request is still answered',
    run: async () => {
      const headers = Array.from({ length: 3000 }, (_, i) => `h${i % 10}:`)
      const { responses } = await exchange(port, request('GET /healthz HTTP/1.1', headers), 1)
      assert.equal(responses[0]?.status, 200)
      assert.deepEqual(json(responses[0]), { ok: true, users: 0 })
    },
  },
  {
    name: 'a Content-Length that is not a whole number (letters, negative, hex, exponent, past 2^53, empty) is a 400',
    run: async () => {
      for (const length of ['abc', '-1', '0x10', '1e3', '99999999999999999999', '9007199254740993', '', '1 2']) {
        await refusedAndClosed(request('POST /api/messages HTTP/1.1', [bearer, `Content-Length: ${length}`], '{}'), 400)
      }
    },
  },
  {
    name: 'two Content-Length headers, equal or not, are a 400',
    run: async () => {
      for (const [a, b] of [
        [2, 2],
        [2, 3],
      ]) {
        const headers = [bearer, `Content-Length: ${a}`, `Content-Length: ${b}`]
        await refusedAndClosed(request('POST /api/messages HTTP/1.1', headers, '{}'), 400)
      }
    },
  },
  {
    name: 'Content-Length with Transfer-Encoding, or any Transfer-Encoding but chunked alone, is a 400',
    run: async () => {
      for (const headers of [
        ['Content-Length: 5', 'Transfer-Encoding: chunked'],
        ['Transfer-Encoding: chunked', 'Content-Length: 5'],
        ['Transfer-Encoding: gzip'],
        ['Transfer-Encoding: gzip, chunked'],
        ['Transfer-Encoding: chunked', 'Transfer-Encoding: chunked'],
      ]) {
        await refusedAndClosed(request('POST /api/messages HTTP/1.1', [bearer, ...headers], '0\r\n\r\n'), 400)
      }
    },
  },
  {
    name: 'a body longer than its Content-Length: the request is answered, what follows is a 400',
    run: async () => {
      const { responses, closed } = await exchange(
        port,
        request('POST /healthz HTTP/1.1', ['Content-Length: 2'], 'ab-then-more-bytes'),
      )
      assert.equal(responses[0]?.status, 404)
      assertRefused(responses[1], 400, 'invalid-argument', 'the bytes past the body')
      assert.ok(closed)
    },
  },
  {
    name: 'pipelined junk after a good request: the good one is answered, the junk is a 400',
    run: async () => {
      const junk = '\x00\x01\x02 not a request \xff\r\n\r\n'
      const { responses, closed } = await exchange(port, request('GET /healthz HTTP/1.1') + junk)
      assert.equal(responses[0]?.status, 200)
      assertRefused(responses[1], 400, 'invalid-argument', 'the junk')
      assert.ok(closed)
    },
  },
  {
    name: 'a slowloris that never finishes its headers is answered 408 idle-timeout and closed',
    run: async () => {
      const connection = await RawConnection.open(port)
      connection.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Still-Coming: ')
      const responses = await connection.closed
      assert.equal(responses.length, 1)
      assertRefused(responses[0], 408, 'idle-timeout', 'the slowloris')
    },
  },
  {
    name: 'a body that never arrives: the refusal is sent, then the connection is closed when the request time is up',
    run: async () => {
      const connection = await RawConnection.open(port)
      connection.write(
        request(`PUT /media/${mediaId}/content?offset=0 HTTP/1.1`, ['Content-Length: 1000'], 'only-this'),
      )
      const responses = await connection.closed
      assertRefused(responses[0], 401, 'not-logged-in', 'the upload without a key')
    },
  },
  {
    name: 'more connections from one address than the cap: the one past it is closed unanswered',
    run: async () => {
      const from = `127.0.0.${nextAddress++}`
      const open: RawConnection[] = []
      try {
        for (let i = 0; i < CAP; i++) {
          const connection = await RawConnection.open(port, from)
          open.push(connection)
          connection.write(request('GET /healthz HTTP/1.1'))
          const [answer] = await connection.next(1)
          assert.equal(answer?.status, 200, `connection ${i + 1} of ${CAP}`)
        }
        const extra = await RawConnection.open(port, from)
        open.push(extra)
        extra.write(request('GET /healthz HTTP/1.1'))
        assert.deepEqual(await extra.closed, [], 'the connection past the cap')
        assert.ok(
          open.slice(0, CAP).every((connection) => !connection.wasClosed),
          'the first ones stay open',
        )
      } finally {
        for (const connection of open) connection.destroy()
      }
    },
  },
  {
    name: 'methods no route takes are 405 with Allow; tokens that are no method at all are 400',
    run: async () => {
      for (const line of ['PROPFIND /api/groups', 'TRACE /healthz', `MKCOL /media/${mediaId}`, 'LOCK /']) {
        const response = await refusedAndClosed(request(`${line} HTTP/1.1`, [bearer]), 405)
        assert.equal(response.headers.get('allow'), SERVED_METHODS)
      }
      for (const line of ['FOO /healthz', 'get /healthz', 'G\x7fT /healthz']) {
        await refusedAndClosed(request(`${line} HTTP/1.1`), 400)
      }
    },
  },
  {
    name: 'OPTIONS on every prefix: preflights under /api/ and /media/ only, 404 elsewhere',
    run: async () => {
      const origin = 'Origin: https://app.example'
      for (const [target, status] of [
        ['/api/groups', 204],
        ['/api/', 204],
        [`/media/${mediaId}/content?offset=0`, 204],
        ['/media', 204],
        ['/healthz', 404],
        ['/', 404],
      ] as const) {
        const { responses } = await exchange(port, request(`OPTIONS ${target} HTTP/1.1`, [origin]), 1)
        assert.equal(responses[0]?.status, status, target)
        if (status === 204)
          assert.equal(responses[0]?.headers.get('access-control-allow-origin'), 'https://app.example')
      }
    },
  },
  {
    name: 'media routes with bad bearers are 401 not-logged-in; a repeated or non-ASCII Authorization is 400',
    run: async () => {
      for (const authorization of [
        [],
        ['Authorization: Bearer'],
        ['Authorization: Bearer '],
        [`Authorization: Bearer ${'A'.repeat(43)}`],
        [`Authorization: Bearer ${'x'.repeat(300)}`],
        [`Authorization: Bearer ${ADMIN_KEY}`],
        ['Authorization: Basic dXNlcjpwYXNz'],
        ['Authorization: Bearer a b'],
      ]) {
        for (const line of [`GET /media/${mediaId}`, `GET /media/${mediaId}/info`, `DELETE /media/${mediaId}`]) {
          const { responses } = await exchange(port, request(`${line} HTTP/1.1`, authorization), 1)
          assertRefused(responses[0], 401, 'not-logged-in', `${line} ${authorization.join()}`)
        }
      }
      await refusedAndClosed(request(`GET /media/${mediaId} HTTP/1.1`, ['Authorization: Bearer \xe9\xe9']), 400)
      const twice = [`Authorization: Bearer ${'A'.repeat(43)}`, `Authorization: Bearer ${'B'.repeat(43)}`]
      await refusedAndClosed(request(`GET /media/${mediaId} HTTP/1.1`, twice), 400)
    },
  },
  {
    name: 'server API routes with a missing or wrong admin key are 401 bad-token',
    run: async () => {
      for (const authorization of [[], ['Authorization: Bearer wrong'], [`Authorization: Bearer ${ADMIN_KEY}x`]]) {
        for (const line of ['GET /api/groups', 'DELETE /api/groups/g1', 'POST /api/messages']) {
          const { responses } = await exchange(
            port,
            request(`${line} HTTP/1.1`, [...authorization, 'Content-Length: 0']),
            1,
          )
          assertRefused(responses[0], 401, 'bad-token', `${line} ${authorization.join()}`)
        }
      }
    },
  },
  {
    name: 'a TLS handshake or binary garbage instead of a request line is a 400',
    run: async () => {
      await refusedAndClosed('\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03' + '\x00'.repeat(32), 400)
      await refusedAndClosed('\r\n\r\n\r\n\xff\xfe\xfd\r\n\r\n', 400)
      await refusedAndClosed('GET /he\x00althz HTTP/1.1\r\n\r\n', 400)
      await refusedAndClosed('GET /healthz HTTP/1.1\r\nHost 127.0.0.1\r\n\r\n', 400)
    },
  },
  {
    name: 'HTTP/1.1 without a Host is a 400',
    run: async () => {
      const { responses, closed } = await exchange(port, 'GET /healthz HTTP/1.1\r\n\r\n')
      assert.equal(responses[0]?.status, 400)
      assert.ok(closed)
    },
  },
  {
    name: 'a WebSocket upgrade outside Socket.IO’s path is closed without an answer',
    run: async () => {
      const upgrade = ['Connection: Upgrade', 'Upgrade: websocket', 'Sec-WebSocket-Version: 13']
      const { responses, closed } = await exchange(
        port,
        request('GET /api/groups HTTP/1.1', [...upgrade, 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==']),
      )
      assert.deepEqual(responses, [])
      assert.ok(closed)
    },
  },
  {
    name: 'a JSON body announced at a petabyte is a 413 before a byte of it is read',
    run: async () => {
      const { responses } = await exchange(
        port,
        request('POST /api/messages HTTP/1.1', [bearer, `Content-Length: ${10 ** 15}`], '{"cmd":'),
        1,
      )
      assertRefused(responses[0], 413, 'message-too-large', 'the petabyte body')
    },
  },
  {
    name: 'a chunked body with a chunk size that is no number: the connection is cut',
    run: async () => {
      const { responses, closed } = await exchange(
        port,
        request('POST /api/messages HTTP/1.1', [bearer, 'Transfer-Encoding: chunked'], 'ZZ\r\nnot a chunk\r\n'),
      )
      assert.deepEqual(responses, [], 'no answer: the request it was part of can never be read whole')
      assert.ok(closed)
    },
  },
  {
    name: 'a target with characters outside visible ASCII that the parser lets through is a 400',
    run: async () => {
      for (const target of ['/healthz#fragment', '/api/groups/a#b', `/media/${mediaId}#x`]) {
        await refusedAndClosed(request(`GET ${target} HTTP/1.1`, [bearer]), 400)
      }
    },
  },
]

for (const row of CASES) {
  test(row.name, async () => {
    await row.run()
    await scene.assertHealthy()
  })
}
