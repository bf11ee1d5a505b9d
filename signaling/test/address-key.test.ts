import assert from 'node:assert/strict'
import { test } from 'node:test'
import { addressKey } from '../src/http/address-key.js'

test('connections are counted per IPv4 address, IPv4-mapped ones included, and per IPv6 /64', () => {
  assert.equal(addressKey('203.0.113.7'), '203.0.113.7')
  assert.equal(addressKey('::ffff:203.0.113.7'), '203.0.113.7')
  assert.equal(addressKey('::FFFF:203.0.113.7'), '203.0.113.7')
  assert.equal(addressKey('127.0.0.1'), '127.0.0.1')

  const home = addressKey('2001:db8:85a3:8d3::1')
  assert.equal(home, '2001:db8:85a3:8d3::/64')
  for (const sameHost of [
    '2001:db8:85a3:8d3:ffff:ffff:ffff:ffff',
    '2001:0db8:85a3:08d3:1:2:3:4',
    '2001:db8:85a3:8d3::',
  ]) {
    assert.equal(addressKey(sameHost), home, sameHost)
  }
  assert.notEqual(addressKey('2001:db8:85a3:8d4::1'), home)
  assert.equal(addressKey('::1'), '0:0:0:0::/64')
  assert.equal(addressKey('fe80::1%eth0'), 'fe80:0:0:0::/64')
  assert.equal(addressKey('64:ff9b::203.0.113.7'), '64:ff9b:0:0::/64')
})

test('an address that is not one counts as itself', () => {
  for (const odd of ['1:2:3', '1::2::3', '1:2:3:4:5:6:7:8:9', 'g::1', '::1.2.3.999', 'not an address', '']) {
    assert.equal(addressKey(odd), odd, odd)
  }
})
