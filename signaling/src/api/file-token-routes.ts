import type { FileTokenRequest, FileTokenResponse, SendTarget } from '@ferry/protocol'
import type { RequestHeaders } from '../http/request-headers.js'
import { ApiRefusal, badArgument } from './api-refusal.js'
import type { FileSend, FileSendContext } from './file-send.js'
import { fileEnvelope } from './file-send.js'
import type { FileTokens } from './file-tokens.js'
import { asObject } from './group-routes.js'
import { checkTarget, checkUserId, commandKind, resolveTarget } from './send-target.js'

/** The target fields of a file send's query: `to`, `tos` (comma-separated), `gid`, `rid`; only those present. */
export function queryTarget(query: URLSearchParams): { [K in keyof SendTarget]?: unknown } {
  const target: { [K in keyof SendTarget]?: unknown } = {}
  for (const name of ['to', 'gid', 'rid'] as const) {
    const value = query.get(name)
    if (value !== null) target[name] = value
  }
  const tos = query.get('tos')
  if (tos !== null) target.tos = tos.split(',')
  return target
}

/** `PUT /api/files?cmd=…&from=…&<target>`: a file send checked from its query and headers. */
export async function adminFileSend(
  context: FileSendContext,
  query: URLSearchParams,
  headers: RequestHeaders,
): Promise<FileSend> {
  const kind = commandKind(query.get('cmd'), 'file')
  const from = checkUserId(query.get('from') ?? undefined, 'from')
  await context.budget.spend(from)
  const target = checkTarget(kind, from, queryTarget(query))
  return { kind, from, target, ...fileEnvelope(query, headers) }
}

/** `POST /api/file-token`: a token for one file send, once its target checks out as a send would. */
export async function issueFileToken(
  context: FileSendContext & { tokens: FileTokens },
  body: unknown,
): Promise<FileTokenResponse> {
  const request = asObject(body)
  if (request.cmd === 'broadcastfile') throw badArgument('broadcastfile is for the server only: it has no token')
  const kind = commandKind(request.cmd, 'file')
  const from = checkUserId(request.from, 'from')
  await context.budget.spend(from)
  const target = checkTarget(kind, from, request)
  await resolveTarget(kind, from, target, context)
  const cmd = request.cmd as FileTokenRequest['cmd']
  const { token, expiresAt } = await context.tokens.issue({ from, cmd, target })
  return { token, endpoint: `/api/upload?token=${token}`, expiresAt }
}

/**
 * `PUT /api/upload?token=…`: the file send the token grants, spending it. The query may repeat the
 * token's cmd, from and target, but any that differ refuse it (401 `bad-token`), as an unknown, used
 * or expired token does.
 */
export async function tokenFileSend(
  context: FileSendContext & { tokens: FileTokens },
  query: URLSearchParams,
  headers: RequestHeaders,
): Promise<FileSend> {
  const grant = await context.tokens.redeem(query.get('token') ?? '')
  if (!grant) throw new ApiRefusal(401, 'bad-token', 'the file token is unknown, used or expired')
  const asked = queryTarget(query)
  const differs =
    (query.has('cmd') && query.get('cmd') !== grant.cmd) ||
    (query.has('from') && query.get('from') !== grant.from) ||
    (['to', 'gid', 'rid'] as const).some((name) => asked[name] !== undefined && asked[name] !== grant.target[name]) ||
    (asked.tos !== undefined && sameUsers(asked.tos as string[], grant.target.tos) === false)
  if (differs) throw new ApiRefusal(401, 'bad-token', 'the file token was issued for another send')
  return {
    kind: commandKind(grant.cmd, 'file'),
    from: grant.from,
    target: grant.target,
    ...fileEnvelope(query, headers),
  }
}

function sameUsers(asked: string[], granted: string[] | undefined): boolean {
  const a = [...new Set(asked)].sort()
  const b = [...new Set(granted ?? [])].sort()
  return a.length === b.length && a.every((user, i) => user === b[i])
}
