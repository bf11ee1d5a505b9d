import assert from 'node:assert/strict'
import { test } from 'node:test'
import { HIGH_WATER_BYTES } from '@ferry/protocol'
import { RelayPacer } from '../src/relay-transport.js'

test('the relay pacer lets one high-water mark through at once, then holds back until the rate catches up', async () => {
  let rate = 10 * 1024 * 1024
  const pacer = new RelayPacer(() => rate)
  pacer.spend(HIGH_WATER_BYTES)
  assert.equal(pacer.excess, 0, 'a burst of one high-water mark is allowed')
  pacer.spend(4 * 1024 * 1024)
  assert.ok(pacer.excess > 3.5 * 1024 * 1024, `excess ${pacer.excess}`)
  await new Promise((resolve) => setTimeout(resolve, 300))
  // 300 ms at 90 % of 10 MiB/s pays back about 2.7 MiB of the 4 MiB.
  assert.ok(pacer.excess < 1.6 * 1024 * 1024 && pacer.excess > 0.8 * 1024 * 1024, `excess ${pacer.excess}`)
  rate = 1024 * 1024 * 1024
  await new Promise((resolve) => setTimeout(resolve, 20))
  assert.equal(pacer.excess, 0, 'a higher rate from the server applies at once')
})
