import { FerryError, isErrorCode } from '@ferry/protocol'

/**
 * One request to the server API: resolves with the JSON answer (undefined for a 204), rejects with a
 * `FerryError` carrying the server's code, or `server-unreachable` when no answer came.
 */
export async function apiRequest<T>(url: URL, init: RequestInit & { duplex?: 'half' }): Promise<T> {
  let response: Response
  try {
    response = await fetch(url, init)
  } catch (error) {
    throw new FerryError('server-unreachable', `${init.method ?? 'GET'} ${url.pathname}: ${causeOf(error)}`)
  }
  const text = await response.text()
  if (response.ok) return (text === '' ? undefined : JSON.parse(text)) as T
  let code: unknown
  let message = `${response.status} ${response.statusText}`
  try {
    const error = JSON.parse(text) as { code?: unknown; message?: unknown }
    code = error.code
    if (typeof error.message === 'string') message = error.message
  } catch {
    // Not a server API answer (a proxy's error page): the status says what there is to say.
  }
  throw new FerryError(isErrorCode(code) ? code : 'unknown', message)
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause
  return String(cause ?? error)
}
