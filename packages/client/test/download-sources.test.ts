import assert from 'node:assert/strict'
import { test } from 'node:test'
import { peersToTry } from '../src/media/download-sources.js'

test('a download asks the peers the server named, in its order, never itself, never one twice', () => {
  assert.deepEqual(peersToTry(['carol', 'dave', 'carol', 'me', 'alice'], 'alice', 'me'), ['carol', 'dave', 'alice'])
})

test('the server decides whether the uploader is asked: an answer without it leaves it out', () => {
  assert.deepEqual(peersToTry(['carol'], 'alice', 'me'), ['carol'])
  assert.deepEqual(peersToTry([], 'alice', 'me'), [], 'nobody online holds it: straight to the store')
})

test('when the server could not say, the uploader is asked before the store', () => {
  assert.deepEqual(peersToTry(undefined, 'alice', 'me'), ['alice'])
  assert.deepEqual(peersToTry(undefined, 'me', 'me'), [], 'not oneself')
})

test('only user ids are asked', () => {
  assert.deepEqual(peersToTry(['..', 'a/b', '', 'bob'], 'x y', 'me'), ['bob'])
  assert.deepEqual(peersToTry(undefined, '..', 'me'), [])
})
