/** The little the server logs through. `console` fits; the default says nothing. */
export interface Logger {
  info(message: string): void
  warn(message: string): void
}

/** Library default: a server embedded in tests or another app stays silent. */
export const quietLogger: Logger = {
  info() {},
  warn() {},
}
