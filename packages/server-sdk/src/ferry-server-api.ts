import {
  type FileCommand,
  type FileSendResponse,
  type FileTokenRequest,
  type FileTokenResponse,
  type Group,
  type MessageCommand,
  type MessageSendRequest,
  MTYPE,
  type SendReceipt,
  type SendTarget,
} from '@ferry/protocol'
import { apiRequest } from './api-request.js'
import { type FileInput, type FileSendOptions, fileBody } from './file-body.js'

export interface FerryServerApiOptions {
  /** The signaling server, e.g. `https://ferry.example.com`. */
  url: string
  /** The server's admin key (FERRY_ADMIN_KEY). Keep it on the application server, never in a page. */
  adminKey: string
}

export interface MessageSendOptions {
  /** 30 (text, the default) or 51–127. */
  mtype?: number
  /** Custom attributes, at most MAX_ATTRS_BYTES of UTF-8. */
  attrs?: string
  /** Dedupe key: a resend with the same mid is not delivered twice. */
  mid?: string
}

/**
 * The server API of a Ferry signaling server, for application servers: sends on behalf of a user
 * (recipients get them as messages from that user), groups, and file tokens that let a client upload
 * a file send without the admin key. Every method rejects with a `FerryError` carrying the server's code.
 */
export class FerryServerApi {
  private readonly base: string
  private readonly adminKey: string

  constructor(options: FerryServerApiOptions) {
    this.base = options.url
    this.adminKey = options.adminKey
  }

  /** A single-use token for one file send by `from`; a client uploads with it (see `uploadWithToken`). */
  fileToken(from: string, cmd: FileTokenRequest['cmd'], target: SendTarget): Promise<FileTokenResponse> {
    return this.json('POST', 'file-token', { from, cmd, ...target })
  }

  sendFile(from: string, to: string, file: FileInput, options?: FileSendOptions): Promise<FileSendResponse> {
    return this.file('sendfile', from, { to }, file, options)
  }

  sendFiles(from: string, tos: string[], file: FileInput, options?: FileSendOptions): Promise<FileSendResponse> {
    return this.file('sendfiles', from, { tos }, file, options)
  }

  sendGroupFile(from: string, gid: string, file: FileInput, options?: FileSendOptions): Promise<FileSendResponse> {
    return this.file('sendgroupfile', from, { gid }, file, options)
  }

  sendRoomFile(from: string, rid: string, file: FileInput, options?: FileSendOptions): Promise<FileSendResponse> {
    return this.file('sendroomfile', from, { rid }, file, options)
  }

  broadcastFile(from: string, file: FileInput, options?: FileSendOptions): Promise<FileSendResponse> {
    return this.file('broadcastfile', from, {}, file, options)
  }

  sendMessage(from: string, to: string, text: string, options?: MessageSendOptions): Promise<SendReceipt> {
    return this.message('sendmsg', from, { to }, text, options)
  }

  sendMessages(from: string, tos: string[], text: string, options?: MessageSendOptions): Promise<SendReceipt> {
    return this.message('sendmsgs', from, { tos }, text, options)
  }

  sendGroupMessage(from: string, gid: string, text: string, options?: MessageSendOptions): Promise<SendReceipt> {
    return this.message('sendgroupmsg', from, { gid }, text, options)
  }

  sendRoomMessage(from: string, rid: string, text: string, options?: MessageSendOptions): Promise<SendReceipt> {
    return this.message('sendroommsg', from, { rid }, text, options)
  }

  broadcastMessage(from: string, text: string, options?: MessageSendOptions): Promise<SendReceipt> {
    return this.message('broadcastmsg', from, {}, text, options)
  }

  createGroup(gid: string, members: string[] = []): Promise<Group> {
    return this.json('POST', 'groups', { gid, members })
  }

  async deleteGroup(gid: string): Promise<void> {
    await this.json('DELETE', `groups/${encodeURIComponent(gid)}`)
  }

  addGroupMembers(gid: string, users: string[]): Promise<Group> {
    return this.json('POST', `groups/${encodeURIComponent(gid)}/members`, { add: users })
  }

  removeGroupMembers(gid: string, users: string[]): Promise<Group> {
    return this.json('POST', `groups/${encodeURIComponent(gid)}/members`, { remove: users })
  }

  async listGroups(): Promise<Group[]> {
    return (await this.json<{ groups: Group[] }>('GET', 'groups')).groups
  }

  getGroup(gid: string): Promise<Group> {
    return this.json('GET', `groups/${encodeURIComponent(gid)}`)
  }

  private message(
    cmd: MessageCommand,
    from: string,
    target: SendTarget,
    text: string,
    options: MessageSendOptions = {},
  ): Promise<SendReceipt> {
    const request: MessageSendRequest = { cmd, from, ...target, mtype: options.mtype ?? MTYPE.text, message: text }
    if (options.attrs !== undefined) request.attrs = options.attrs
    if (options.mid !== undefined) request.mid = options.mid
    return this.json('POST', 'messages', request)
  }

  private file(
    cmd: FileCommand,
    from: string,
    target: SendTarget,
    file: FileInput,
    options: FileSendOptions = {},
  ): Promise<FileSendResponse> {
    const query = new URLSearchParams({ cmd, from })
    if (target.to !== undefined) query.set('to', target.to)
    if (target.tos !== undefined) query.set('tos', target.tos.join(','))
    if (target.gid !== undefined) query.set('gid', target.gid)
    if (target.rid !== undefined) query.set('rid', target.rid)
    return putFile(new URL(`/api/files?${query}`, this.base), file, options, { authorization: this.auth() })
  }

  private json<T>(method: string, path: string, body?: object): Promise<T> {
    const headers: Record<string, string> = { authorization: this.auth() }
    if (body !== undefined) headers['content-type'] = 'application/json'
    return apiRequest(new URL(`/api/${path}`, this.base), {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
  }

  private auth(): string {
    return `Bearer ${this.adminKey}`
  }
}

/**
 * Uploads a file send with a file token (no admin key needed): what a client does with the token and
 * endpoint its application server got from `fileToken`. `tokenOrEndpoint` is the token, or the
 * endpoint (`/api/upload?token=…`) as `fileToken` returned it.
 */
export function uploadWithToken(
  url: string,
  tokenOrEndpoint: string,
  file: FileInput,
  options: FileSendOptions = {},
): Promise<FileSendResponse> {
  const endpoint = new URL(
    tokenOrEndpoint.startsWith('/') ? tokenOrEndpoint : `/api/upload?token=${encodeURIComponent(tokenOrEndpoint)}`,
    url,
  )
  return putFile(endpoint, file, options, {})
}

async function putFile(
  endpoint: URL,
  file: FileInput,
  options: FileSendOptions,
  headers: Record<string, string>,
): Promise<FileSendResponse> {
  if (options.mtype !== undefined) endpoint.searchParams.set('mtype', String(options.mtype))
  if (options.mid !== undefined) endpoint.searchParams.set('mid', options.mid)
  const { body, headers: fileHeaders, streamed } = await fileBody(file, options)
  return apiRequest(endpoint, {
    method: 'PUT',
    headers: { ...headers, ...fileHeaders },
    body,
    ...(streamed ? { duplex: 'half' as const } : {}),
  })
}
