import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { ANSWERS, CLIENT_EVENTS, parseValue, SERVER_EVENTS } from '../src/index.js'
import { arbitraryOf } from './schema-arbitrary.js'

/** Every schema of every event and answer, by name. */
const SCHEMAS = [
  ...Object.entries(CLIENT_EVENTS).flatMap(([event, spec]) =>
    spec.args.map((schema, i) => [`${event} #${i}`, schema] as const),
  ),
  ...Object.entries(SERVER_EVENTS).flatMap(([event, spec]) =>
    spec.args.map((schema, i) => [`${event} #${i}`, schema] as const),
  ),
  ...Object.entries(ANSWERS).map(([event, schema]) => [`answer to ${event}`, schema] as const),
]

test('every value drawn from an event schema parses with it', () => {
  for (const [name, schema] of SCHEMAS) {
    fc.assert(
      fc.property(arbitraryOf(schema), (value) => {
        const parsed = parseValue(schema, value)
        assert.ok(parsed.ok, `${name}: ${parsed.ok ? '' : parsed.message} for ${JSON.stringify(value)}`)
      }),
      { numRuns: 50 },
    )
  }
})

test('no value at all makes parsing throw', () => {
  for (const [, schema] of SCHEMAS) {
    fc.assert(
      fc.property(fc.anything({ withObjectString: true, withNullPrototype: true, withTypedArray: true }), (value) => {
        parseValue(schema, value)
      }),
      { numRuns: 100 },
    )
  }
  const hostile = {
    get to() {
      throw new Error('a getter that throws')
    },
  }
  for (const [, schema] of SCHEMAS) assert.equal(parseValue(schema, hostile).ok, false)
})
