import fc from 'fast-check'
import type * as v from 'valibot'

/**
 * Random values a valibot schema accepts, derived from the schema itself, so the fuzz and property
 * tests follow every schema change by themselves. Covers the schema kinds Ferry's protocol uses; an
 * unknown kind is a test failure, not a silent gap.
 */

/** The few things of a schema this walks (valibot's schemas are plain objects). */
interface SchemaNode {
  type: string
  pipe?: readonly ActionNode[]
  entries?: Record<string, SchemaNode>
  options?: readonly (SchemaNode | string)[]
  wrapped?: SchemaNode
  item?: SchemaNode
  literal?: unknown
  class?: unknown
}

interface ActionNode {
  kind: string
  type: string
  requirement?: unknown
}

/** Strings no longer than this when the schema sets no bound: enough to hit every code path. */
const FREE_STRING_CHARS = 64

/** Arrays no longer than this when the schema sets no bound, or a bigger one. */
const FREE_ARRAY_ITEMS = 8

export function arbitraryOf(schema: v.GenericSchema): fc.Arbitrary<unknown> {
  return arbitrary(schema as unknown as SchemaNode)
}

function arbitrary(node: SchemaNode): fc.Arbitrary<unknown> {
  const actions = validations(node)
  // A piped schema may bound the same thing twice (`pipe(CountSchema, minValue(1))`): the tightest wins.
  const requirement = (type: string): unknown => {
    const found = actions.filter((action) => action.type === type).map((action) => action.requirement)
    if (found.length > 0 && found.every((value) => typeof value === 'number')) {
      return type === 'min_value' ? Math.max(...(found as number[])) : Math.min(...(found as number[]))
    }
    return found[0]
  }
  switch (node.type) {
    case 'string': {
      const regex = requirement('regex')
      const maxLength = numberOr(requirement('max_length'), numberOr(requirement('max_bytes'), FREE_STRING_CHARS))
      if (regex instanceof RegExp) {
        return fc
          .stringMatching(withoutLeadingLookahead(regex))
          .filter((text) => text.length <= maxLength && regex.test(text))
      }
      const maxBytes = numberOr(requirement('max_bytes'), Number.POSITIVE_INFINITY)
      return fc
        .string({ unit: 'grapheme', maxLength: Math.min(maxLength, FREE_STRING_CHARS) })
        .filter((text) => new TextEncoder().encode(text).length <= maxBytes)
    }
    case 'number': {
      const integer = actions.some((action) => action.type === 'integer' || action.type === 'safe_integer')
      const min = numberOr(requirement('min_value'), integer ? Number.MIN_SAFE_INTEGER : -1e9)
      const max = numberOr(requirement('max_value'), integer ? Number.MAX_SAFE_INTEGER : 1e9)
      return integer
        ? fc.integer({ min: Math.max(min, -(2 ** 31)), max: Math.min(max, 2 ** 53 - 1) })
        : fc.double({ min, max, noNaN: true })
    }
    case 'boolean':
      return fc.boolean()
    case 'literal':
      return fc.constant(node.literal)
    case 'picklist':
      return fc.constantFrom(...(node.options as string[]))
    case 'variant':
    case 'union':
      return fc.oneof(...(node.options as SchemaNode[]).map(arbitrary))
    case 'object': {
      const entries = node.entries ?? {}
      const required: Record<string, fc.Arbitrary<unknown>> = {}
      const optional: string[] = []
      for (const [key, entry] of Object.entries(entries)) {
        required[key] = arbitrary(entry)
        if (entry.type === 'exact_optional' || entry.type === 'optional') optional.push(key)
      }
      const all = Object.keys(entries)
      return fc.record(required, { requiredKeys: all.filter((key) => !optional.includes(key)) })
    }
    case 'exact_optional':
    case 'optional':
      return arbitrary(node.wrapped as SchemaNode)
    case 'nullish':
      return fc.oneof(fc.constant(null), fc.constant(undefined), arbitrary(node.wrapped as SchemaNode))
    case 'array': {
      const maxLength = Math.min(numberOr(requirement('max_length'), FREE_ARRAY_ITEMS), FREE_ARRAY_ITEMS)
      return fc.array(arbitrary(node.item as SchemaNode), { maxLength })
    }
    case 'instance':
      return node.class === ArrayBuffer
        ? fc.uint8Array({ maxLength: 256 }).map((bytes) => bytes.slice().buffer)
        : fc.uint8Array({ maxLength: 256 })
    case 'unknown':
      return fc.anything()
    default:
      throw new Error(`no arbitrary for a valibot ${node.type} schema`)
  }
}

/** The validation actions of a schema's pipe, and of the schemas piped into it (`pipe(CountSchema, ...)`). */
function validations(node: SchemaNode): ActionNode[] {
  const out: ActionNode[] = []
  for (const item of node.pipe ?? []) {
    if (item === (node as unknown)) continue
    if (item.kind === 'validation') out.push(item)
    else if (item.kind === 'schema') out.push(...validations(item as unknown as SchemaNode))
  }
  return out
}

/**
 * fast-check cannot generate from a lookahead (the id patterns start with one that refuses ids made of
 * dots only); generating from the rest and filtering with the whole pattern gives the same values.
 */
function withoutLeadingLookahead(regex: RegExp): RegExp {
  return new RegExp(regex.source.replace(/^\^\(\?![^)]*\)/, '^'), regex.flags)
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' ? value : fallback
}
