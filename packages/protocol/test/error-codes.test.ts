import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { ERROR_CODES, errorCodeFromNumber, FerryError, type FerryErrorCode, isErrorCode } from '../src/index.js'

const CODES = Object.keys(ERROR_CODES) as FerryErrorCode[]
const NUMBERS = Object.values(ERROR_CODES) as number[]

describe('error codes', () => {
  it('have unique wire numbers that fit the u16 of an error frame', () => {
    assert.equal(new Set(NUMBERS).size, NUMBERS.length)
    for (const n of NUMBERS) assert.ok(Number.isInteger(n) && n > 0 && n <= 0xffff, `wire number ${n}`)
  })

  it('have kebab-case names', () => {
    for (const code of CODES) assert.match(code, /^[a-z]+(-[a-z0-9]+)*$/)
  })

  it('round-trip through their wire numbers', () => {
    for (const code of CODES) assert.equal(errorCodeFromNumber(ERROR_CODES[code]), code)
  })

  it('give no code for a number this version does not know', () => {
    const known = new Set(NUMBERS)
    fc.assert(
      fc.property(
        fc.oneof(fc.integer(), fc.double()).filter((n) => !known.has(n)),
        (n) => errorCodeFromNumber(n) === undefined,
      ),
    )
    for (const n of [0, -1, 1.5, Number.NaN, 0xffff]) assert.equal(errorCodeFromNumber(n), undefined)
  })

  it('are recognised by isErrorCode, and nothing else is', () => {
    for (const code of CODES) assert.equal(isErrorCode(code), true)
    for (const value of [
      'toString',
      '__proto__',
      'constructor',
      'hasOwnProperty',
      'Cancelled',
      '',
      15,
      null,
      undefined,
    ]) {
      assert.equal(isErrorCode(value), false, `isErrorCode(${String(value)})`)
    }
    fc.assert(fc.property(fc.string(), (text) => isErrorCode(text) === Object.hasOwn(ERROR_CODES, text)))
  })
})

describe('FerryError', () => {
  it('carries its code and is an Error', () => {
    for (const code of CODES) {
      const error = new FerryError(code, `went wrong: ${code}`)
      assert.ok(error instanceof Error)
      assert.ok(error instanceof FerryError)
      assert.equal(error.code, code)
      assert.equal(error.message, `went wrong: ${code}`)
      assert.equal(typeof error.stack, 'string')
    }
  })

  it('uses the code as its message when none is given', () => {
    assert.equal(new FerryError('peer-offline').message, 'peer-offline')
  })

  it("is named 'AbortError' when cancelled, 'FerryError' otherwise", () => {
    for (const code of CODES) {
      assert.equal(new FerryError(code).name, code === 'cancelled' ? 'AbortError' : 'FerryError')
    }
  })

  it('can be told apart by code after a throw', () => {
    assert.throws(
      () => {
        throw new FerryError('cmd-too-large', 'cmd of 70000 bytes')
      },
      { name: 'FerryError', code: 'cmd-too-large', message: 'cmd of 70000 bytes' },
    )
  })
})
