import assert from 'node:assert/strict'
import { test } from 'node:test'
import { describeError } from '../src/describe-error.js'
import { InMemorySessionStore, type Logger } from '../src/index.js'
import { login, startServer } from './harness.js'

/** What no `String()` can turn into text: its `toString` is not a function. */
const HOSTILE = { toString: 5 }

/** A store that throws, synchronously and a thing that is not an Error, when asked how many are online. */
class StoreThatThrows extends InMemorySessionStore {
  override count(): Promise<number> {
    throw HOSTILE
  }
}

test('a failure no route planned for is answered 500 unknown, and the server keeps serving', async (t) => {
  const warnings: string[] = []
  const logger: Logger = {
    info() {},
    warn(message) {
      warnings.push(message)
      throw new Error('the log is down too')
    },
  }
  const { server, connect } = await startServer(t, { sessionStore: new StoreThatThrows(), logger })

  for (let i = 0; i < 2; i++) {
    const res = await fetch(`${server.url}/healthz`)
    assert.equal(res.status, 500)
    assert.equal(((await res.json()) as { code: string }).code, 'unknown')
  }
  assert.ok(
    warnings.some((warning) => warning.includes('an error that cannot be described')),
    warnings.join('\n'),
  )

  const missing = await fetch(`${server.url}/nope`)
  assert.equal(missing.status, 404)
  await missing.body?.cancel()
  const preflight = await fetch(`${server.url}/media/x`, { method: 'OPTIONS' })
  assert.equal(preflight.status, 204)
  const ready = await login(connect({ userId: 'alice' }))
  assert.equal(ready.userId, 'alice')
})

test('describeError describes anything thrown, and never throws itself', () => {
  const revoked = Proxy.revocable({}, {})
  revoked.revoke()
  const throwingMessage = new Error('x')
  Object.defineProperty(throwingMessage, 'message', {
    get() {
      throw new Error('no message for you')
    },
  })
  for (const hostile of [
    HOSTILE,
    Object.create(null),
    revoked.proxy,
    throwingMessage,
    {
      toString() {
        throw new Error('no')
      },
    },
  ]) {
    assert.equal(describeError(hostile), 'an error that cannot be described')
  }
  assert.equal(describeError(Symbol('s')), 'Symbol(s)')
  assert.equal(describeError(new TypeError('Invalid URL')), 'TypeError: Invalid URL')
  assert.equal(describeError(Object.assign(new Error('gone'), { code: 'ENOENT' })), 'Error: gone (ENOENT)')
  assert.equal(describeError(undefined), 'undefined')
  assert.equal(describeError('x'.repeat(5000)).length, 2001)
})
