import assert from 'node:assert/strict'
import { test } from 'node:test'
import { TokenBucket } from '../src/token-bucket.js'

test('a token bucket allows a burst, then refills at its rate up to the burst', () => {
  let now = 0
  const bucket = new TokenBucket(10, 3, () => now)
  assert.deepEqual([bucket.take(), bucket.take(), bucket.take(), bucket.take()], [true, true, true, false])

  now += 50 // half a token at 10 per second
  assert.equal(bucket.take(), false)
  now += 50
  assert.equal(bucket.take(), true)
  assert.equal(bucket.take(), false)

  now += 60_000 // a long pause refills only up to the burst
  assert.deepEqual([bucket.take(), bucket.take(), bucket.take(), bucket.take()], [true, true, true, false])
})

test('a token bucket can count bytes: a take is all or nothing, and never more than the burst', () => {
  let now = 0
  const bucket = new TokenBucket(1000, 2000, () => now)
  assert.equal(bucket.take(1500), true)
  assert.equal(bucket.take(600), false, 'only 500 left')
  assert.equal(bucket.take(500), true, 'a refused take spent nothing')
  now += 600
  assert.equal(bucket.take(600), true)
  now += 60_000
  assert.equal(bucket.take(2001), false)
  assert.equal(bucket.take(2000), true)
})
