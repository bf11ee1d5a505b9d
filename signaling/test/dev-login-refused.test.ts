import assert from 'node:assert/strict'
import { test } from 'node:test'
import { nextConnectError, startServer } from './harness.js'

const BAD_USER_IDS: unknown[] = ['', 'has space', 'a/b', 'x'.repeat(65), 'user<script>', 42, null, undefined]

test('dev mode refuses a missing or malformed user id with invalid-argument', async (t) => {
  const { connect } = await startServer(t)
  for (const userId of BAD_USER_IDS) {
    const client = connect({ userId } as { userId: string })
    const refused = nextConnectError(client)
    client.connect()
    const error = await refused
    assert.deepEqual(error.data, { code: 'invalid-argument' }, `user id ${JSON.stringify(userId)}`)
    assert.equal(client.connected, false)
  }
})
