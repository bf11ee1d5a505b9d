import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { SignJWT } from 'jose'
import { nextConnectError, signToken, TEST_SECRET } from '../harness.js'
import { type AbuseScene, abuseScene } from './abuse-scene.js'
import { Abusers } from './socket-abuser.js'

/**
 * Logins in token mode as an attacker would try them: each row asserts the code of the refused login,
 * then the scene's checks (its well-behaved users log in with good tokens).
 */

const ISSUER = 'https://auth.example.com'
const AUDIENCE = 'ferry'
const LIFETIME_SECONDS = 3600

let scene: AbuseScene
const abusers = new Abusers(() => scene.url)

before(async () => {
  scene = await abuseScene(
    { jwtSecret: TEST_SECRET, jwtIssuer: ISSUER, jwtAudience: AUDIENCE, jwtMaxLifetimeSeconds: LIFETIME_SECONDS },
    { token: (userId) => token({ sub: userId, ...GOOD, exp: now() + 600 }) },
  )
})
after(async () => {
  abusers.closeAll()
  await scene.close()
})

const GOOD = { iss: ISSUER, aud: AUDIENCE }

function now(): number {
  return Math.floor(Date.now() / 1000)
}

function token(claims: Record<string, unknown>, secret = TEST_SECRET, alg = 'HS256'): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg }).sign(new TextEncoder().encode(secret))
}

function unsigned(claims: Record<string, unknown>): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
  return `${part({ alg: 'none' })}.${part(claims)}.`
}

/** Logs in with `auth` and resolves with the code of the refusal. */
async function refusal(auth: Record<string, unknown>): Promise<unknown> {
  const client = abusers.open(auth)
  const refused = nextConnectError(client)
  client.connect()
  return ((await refused) as { data?: { code?: unknown } }).data?.code
}

const CASES: { name: string; auth(): Promise<Record<string, unknown>>; code: string }[] = [
  {
    name: 'a token without exp, valid forever',
    auth: async () => ({ token: await token({ sub: 'm', ...GOOD, iat: now() }) }),
    code: 'bad-token',
  },
  {
    name: 'a token valid longer than the maximum lifetime',
    auth: async () => ({ token: await token({ sub: 'm', ...GOOD, iat: now(), exp: now() + 2 * LIFETIME_SECONDS }) }),
    code: 'bad-token',
  },
  {
    name: 'a token with no iat that expires past the maximum lifetime from now',
    auth: async () => ({ token: await token({ sub: 'm', ...GOOD, exp: now() + 2 * LIFETIME_SECONDS }) }),
    code: 'bad-token',
  },
  {
    name: 'an unsigned token (alg none)',
    auth: async () => ({ token: unsigned({ sub: 'm', ...GOOD, exp: now() + 60 }) }),
    code: 'bad-token',
  },
  {
    name: 'a token signed with another secret',
    auth: async () => ({
      token: await token({ sub: 'm', ...GOOD, exp: now() + 60 }, 'another-secret-of-at-least-32-bytes!!'),
    }),
    code: 'bad-token',
  },
  {
    name: 'a token signed with HS512 instead of HS256',
    auth: async () => ({ token: await token({ sub: 'm', ...GOOD, exp: now() + 60 }, TEST_SECRET, 'HS512') }),
    code: 'bad-token',
  },
  {
    name: 'a token from another issuer',
    auth: async () => ({
      token: await token({ sub: 'm', iss: 'https://evil.example.com', aud: AUDIENCE, exp: now() + 60 }),
    }),
    code: 'bad-token',
  },
  {
    name: 'a token for another audience',
    auth: async () => ({ token: await token({ sub: 'm', iss: ISSUER, aud: 'other', exp: now() + 60 }) }),
    code: 'bad-token',
  },
  {
    name: 'an expired token',
    auth: async () => ({ token: await signToken('m', TEST_SECRET, -3600) }),
    code: 'bad-token',
  },
  {
    name: 'a token whose sub is dots only, or not a string',
    auth: async () => ({ token: await token({ sub: '..', ...GOOD, exp: now() + 60 }) }),
    code: 'bad-token',
  },
  {
    name: 'a token that is an object, or 512 KB of junk',
    auth: async () => ({ token: { toString: 1 } }),
    code: 'bad-token',
  },
  { name: 'a token of 512 KB of junk', auth: async () => ({ token: 'x'.repeat(512 * 1024) }), code: 'bad-token' },
  { name: 'a dev-mode user id instead of a token', auth: async () => ({ userId: 'mallory' }), code: 'bad-token' },
]

for (const row of CASES) {
  test(`refused with ${row.code}: ${row.name}`, async () => {
    assert.equal(await refusal(await row.auth()), row.code)
    await scene.assertHealthy()
  })
}

test('logins from one address past its budget are refused with rate-limited, whoever they claim to be', async () => {
  const flood = await abuseScene({
    jwtSecret: TEST_SECRET,
    limits: { loginsPerAddress: { perSecond: 0.001, burst: 5 } },
  })
  const local = new Abusers(() => flood.url)
  try {
    const codes: unknown[] = []
    for (let i = 0; i < 7; i++) {
      const client = local.open({ token: unsigned({ sub: `u${i}` }) })
      const refused = nextConnectError(client)
      client.connect()
      codes.push(((await refused) as { data?: { code?: unknown } }).data?.code)
    }
    assert.deepEqual(codes, [
      'bad-token',
      'bad-token',
      'bad-token',
      'bad-token',
      'bad-token',
      'rate-limited',
      'rate-limited',
    ])
    await flood.assertUp()
  } finally {
    local.closeAll()
    await flood.close()
  }
})
