/**
 * A thrown value as text for a log line. Never throws itself: `String(value)` does for an object whose
 * `toString` is not callable, which is exactly what a hostile payload can put in an error path.
 */
export function describeError(value: unknown): string {
  try {
    if (value instanceof Error) return `${value.name}: ${value.message}`
    if (typeof value === 'string') return value
    if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value)
    return Object.prototype.toString.call(value)
  } catch {
    return 'an error that cannot be described'
  }
}
