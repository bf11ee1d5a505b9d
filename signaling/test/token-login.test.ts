import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  DEFAULT_OFFER,
  login,
  nextConnectError,
  signToken,
  startServer,
  TEST_SECRET,
  withoutMediaKey,
} from './harness.js'

test('token mode logs in as the token sub and ignores auth.userId', async (t) => {
  const { connect } = await startServer(t, { jwtSecret: TEST_SECRET })
  const client = connect({ token: await signToken('alice'), userId: 'mallory' })
  assert.deepEqual(withoutMediaKey(await login(client)), { userId: 'alice', online: [], ...DEFAULT_OFFER })
})

test('token mode refuses bad tokens with bad-token', async (t) => {
  const { connect } = await startServer(t, { jwtSecret: TEST_SECRET })
  const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"alice"}').toString('base64url')}.`
  const cases: [string, Record<string, unknown>][] = [
    ['missing token', { userId: 'alice' }],
    ['empty token', { token: '' }],
    ['forged signature', { token: await signToken('alice', 'another-secret-that-is-also-32-bytes-or-more') }],
    ['expired token', { token: await signToken('alice', TEST_SECRET, -60) }],
    ['unsigned token', { token: unsigned }],
    ['garbage', { token: 'not.a.jwt' }],
    ['sub that is not a user id', { token: await signToken('has space') }],
    ['token that is not a string', { token: 12345 }],
  ]
  for (const [name, auth] of cases) {
    const client = connect(auth)
    const refused = nextConnectError(client)
    client.connect()
    const error = await refused
    assert.deepEqual(error.data, { code: 'bad-token' }, name)
    assert.equal(client.connected, false, name)
  }
})
