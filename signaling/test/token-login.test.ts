import assert from 'node:assert/strict'
import { test } from 'node:test'
import { SignJWT } from 'jose'
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

/** A token with exactly the claims given (the harness's `signToken` always sets iat and exp). */
function tokenWith(claims: Record<string, unknown>): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(TEST_SECRET))
}

test('a token must expire, within the maximum lifetime, and name the issuer and audience the server requires', async (t) => {
  const now = Math.floor(Date.now() / 1000)
  const { connect } = await startServer(t, {
    jwtSecret: TEST_SECRET,
    jwtIssuer: 'https://auth.example.com',
    jwtAudience: 'ferry',
    jwtMaxLifetimeSeconds: 3600,
  })
  const good = { sub: 'alice', iss: 'https://auth.example.com', aud: 'ferry' }
  const refusals: [string, Record<string, unknown>][] = [
    ['no exp: valid forever', { ...good, iat: now }],
    ['valid for two hours', { ...good, iat: now, exp: now + 7200 }],
    ['no iat, expiring in two hours', { ...good, exp: now + 7200 }],
    ['another issuer', { ...good, iss: 'https://evil.example.com', iat: now, exp: now + 60 }],
    ['no issuer', { sub: 'alice', aud: 'ferry', iat: now, exp: now + 60 }],
    ['another audience', { ...good, aud: 'other-app', iat: now, exp: now + 60 }],
    ['no sub', { iss: good.iss, aud: good.aud, iat: now, exp: now + 60 }],
    ['not yet valid', { ...good, iat: now, nbf: now + 600, exp: now + 900 }],
  ]
  for (const [name, claims] of refusals) {
    const client = connect({ token: await tokenWith(claims) })
    const refused = nextConnectError(client)
    client.connect()
    assert.deepEqual((await refused).data, { code: 'bad-token' }, name)
  }
  for (const claims of [
    { ...good, iat: now, exp: now + 3600 },
    { ...good, exp: now + 600 },
    { ...good, aud: ['other-app', 'ferry'], iat: now, exp: now + 60 },
  ]) {
    const ready = await login(connect({ token: await tokenWith(claims) }))
    assert.equal(ready.userId, 'alice')
  }
})

test('without issuer or audience rules any are accepted, and the default lifetime is a day', async (t) => {
  const now = Math.floor(Date.now() / 1000)
  const { connect } = await startServer(t, { jwtSecret: TEST_SECRET })
  assert.equal(
    (await login(connect({ token: await tokenWith({ sub: 'bob', iss: 'x', exp: now + 60 }) }))).userId,
    'bob',
  )
  const week = connect({ token: await tokenWith({ sub: 'bob', iat: now, exp: now + 7 * 24 * 3600 }) })
  const refused = nextConnectError(week)
  week.connect()
  assert.deepEqual((await refused).data, { code: 'bad-token' })
})
