import { FerryError, type FerryErrorCode } from '@ferry/protocol'

/**
 * A refused server API request: the `FerryErrorCode` clients branch on, and the HTTP status it is
 * answered with (see SERVER_API_PREFIX in `@ferry/protocol` for the table).
 */
export class ApiRefusal extends FerryError {
  readonly status: number

  constructor(status: number, code: FerryErrorCode, message: string) {
    super(code, message)
    this.name = 'ApiRefusal'
    this.status = status
  }
}

export function isApiRefusal(error: unknown): error is ApiRefusal {
  return error instanceof ApiRefusal
}

/** 400 `invalid-argument`: a malformed id, field or header. */
export function badArgument(message: string): ApiRefusal {
  return new ApiRefusal(400, 'invalid-argument', message)
}
