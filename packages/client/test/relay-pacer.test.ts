import assert from 'node:assert/strict'
import { test } from 'node:test'
import { HIGH_WATER_BYTES } from '@ferry/protocol'
import { RelayPacer } from '../src/relay-transport.js'

test('the relay pacer lets one high-water mark through at once, then holds back until the rate catches up', async () => {
  let rate = 10 * 1024 * 1024
  const pacer = new RelayPacer(() => rate)
  pacer.spend(HIGH_WATER_BYTES)
  assert.equal(pacer.excess, 0, 'a burst of one high-water mark is allowed')
  const spentAt = Date.now()
  pacer.spend(4 * 1024 * 1024)
  assert.ok(pacer.excess > 3.5 * 1024 * 1024, `excess ${pacer.excess}`)
  await new Promise((resolve) => setTimeout(resolve, 300))
  // The debt is paid back at 90 % of the rate: compare with what the elapsed time allows.
  const paid = ((Date.now() - spentAt) / 1000) * rate * 0.9
  const expected = Math.max(0, 4 * 1024 * 1024 - paid)
  assert.ok(Math.abs(pacer.excess - expected) < 256 * 1024, `excess ${pacer.excess}, expected about ${expected}`)
  rate = 1024 * 1024 * 1024
  await new Promise((resolve) => setTimeout(resolve, 20))
  assert.equal(pacer.excess, 0, 'a higher rate from the server applies at once')
})
