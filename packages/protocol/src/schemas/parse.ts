import * as v from 'valibot'

/**
 * Parsing a value that came off the network: `{ ok: true, value }` with the schema's typed output, or
 * `{ ok: false, message }` naming the first field that is wrong. Never throws, whatever `input` is
 * (valibot can only throw on getters or proxies, which no decoder produces, and those are caught too).
 */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string }

/** Stop at the first issue: a bad payload costs one check, not a report of everything wrong with it. */
const CONFIG = { abortEarly: true, abortPipeEarly: true } as const

export function parseValue<S extends v.GenericSchema>(schema: S, input: unknown): Parsed<v.InferOutput<S>> {
  try {
    const result = v.safeParse(schema, input, CONFIG)
    if (result.success) return { ok: true, value: result.output }
    return { ok: false, message: describeIssue(result.issues[0]) }
  } catch {
    return { ok: false, message: 'the value cannot be read' }
  }
}

/** `field.sub: what was expected`, from a valibot issue. */
function describeIssue(issue: v.BaseIssue<unknown> | undefined): string {
  if (issue === undefined) return 'the value is not valid'
  const path = issue.path?.map((item) => String(item.key)).join('.') ?? ''
  const expected = issue.expected ?? issue.message
  return path === '' ? `expected ${expected}` : `${path}: expected ${expected}`
}

/** The parsed values of a list of schemas (an event's arguments), in order. */
export type InferArgs<T extends readonly v.GenericSchema[]> = {
  -readonly [I in keyof T]: T[I] extends v.GenericSchema ? v.InferOutput<T[I]> : never
}
