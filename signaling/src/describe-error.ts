/** Longest description kept: an error's message can be as long as whatever made it. */
const MAX_DESCRIPTION_CHARS = 2000

/**
 * A one-line description of anything thrown, for logs. Never throws: `String(error)` itself can (an
 * object whose `toString` throws or is not callable, a revoked Proxy, a Symbol in a template), and a
 * logger call that throws inside a catch takes down what the catch was there to protect.
 */
export function describeError(error: unknown): string {
  try {
    const text =
      error instanceof Error ? `${String(error.name)}: ${String(error.message)}${codeOf(error)}` : String(error)
    return text.length > MAX_DESCRIPTION_CHARS ? `${text.slice(0, MAX_DESCRIPTION_CHARS)}…` : text
  } catch {
    return 'an error that cannot be described'
  }
}

function codeOf(error: Error): string {
  const code: unknown = (error as { code?: unknown }).code
  return typeof code === 'string' ? ` (${code})` : ''
}
