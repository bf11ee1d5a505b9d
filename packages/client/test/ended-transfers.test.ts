import assert from 'node:assert/strict'
import { test } from 'node:test'
import { EndedTransfers } from '../src/ended-transfers.js'

test('a peer that ends many transfers pushes out only its own outcomes', () => {
  const ended = new EndedTransfers(4, 10)
  ended.add('honest', 1, 'delivered')
  for (let taskId = 1; taskId <= 1000; taskId++) ended.add('mallory', taskId, 'protocol-error')
  assert.equal(ended.get('honest', 1), 'delivered')
  assert.equal(ended.get('mallory', 1000), 'protocol-error')
  assert.equal(ended.get('mallory', 997), 'protocol-error')
  assert.equal(ended.get('mallory', 996), undefined, 'four kept per peer')
})

test('past the number of peers kept, the peer whose last transfer ended longest ago is forgotten', () => {
  const ended = new EndedTransfers(4, 3)
  ended.add('a', 1, 'delivered')
  ended.add('b', 1, 'delivered')
  ended.add('c', 1, 'delivered')
  ended.add('a', 2, 'cancelled')
  ended.add('d', 1, 'delivered')
  assert.equal(ended.get('b', 1), undefined)
  assert.equal(ended.get('a', 1), 'delivered')
  assert.equal(ended.get('a', 2), 'cancelled')
  assert.equal(ended.get('c', 1), 'delivered')
  assert.equal(ended.get('d', 1), 'delivered')
})
