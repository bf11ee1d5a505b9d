import type { FerryErrorCode, LoginErrorData } from '@ferry/protocol'

/** An error for `next()` in a Socket.IO middleware: the client's `connect_error` gets `data`. */
export interface LoginError extends Error {
  data: LoginErrorData
}

export function loginError(code: FerryErrorCode, message: string): LoginError {
  const error = new Error(message) as LoginError
  error.data = { code }
  return error
}
