import {
  type DeliveryTarget,
  type FileCommand,
  MAX_RECIPIENTS,
  type MessageCommand,
  ROOM_ID_PATTERN,
  type SendTarget,
  USER_ID_PATTERN,
} from '@ferry/protocol'
import type { GroupStore } from '../groups/group-store.js'
import type { RoomStore } from '../rooms/room-store.js'
import type { SessionStore } from '../session-store.js'
import { ApiRefusal, badArgument } from './api-refusal.js'

/** Who a send goes to, whatever the command's name. */
export type SendKind = DeliveryTarget['type']

const KINDS: Record<FileCommand | MessageCommand, SendKind> = {
  sendfile: 'user',
  sendmsg: 'user',
  sendfiles: 'users',
  sendmsgs: 'users',
  sendgroupfile: 'group',
  sendgroupmsg: 'group',
  sendroomfile: 'room',
  sendroommsg: 'room',
  broadcastfile: 'broadcast',
  broadcastmsg: 'broadcast',
}

/** The field each kind is addressed by; broadcast has none. */
const FIELD = { user: 'to', users: 'tos', group: 'gid', room: 'rid', broadcast: undefined } as const
const TARGET_FIELDS = ['to', 'tos', 'gid', 'rid'] as const

/** What the server needs to deliver a send. */
export interface Recipients {
  target: DeliveryTarget
  users: string[]
  /** Kept for offline users (user, users and group sends); room and broadcast sends reach who is there. */
  keepForOffline: boolean
}

export interface TargetContext {
  groups: GroupStore
  rooms: RoomStore
  sessions: SessionStore
}

/** The kind of a file command (`files`) or message command, or a 400 for anything else. */
export function commandKind(cmd: unknown, commands: 'file' | 'message'): SendKind {
  const name = typeof cmd === 'string' && Object.hasOwn(KINDS, cmd) ? (cmd as FileCommand | MessageCommand) : undefined
  const kind = name === undefined ? undefined : KINDS[name]
  if (name === undefined || kind === undefined || name.includes('msg') !== (commands === 'message')) {
    const names = Object.keys(KINDS).filter((name) => name.includes('msg') === (commands === 'message'))
    throw badArgument(`cmd must be one of ${names.join(', ')}`)
  }
  return kind
}

export function checkUserId(value: unknown, field: string): string {
  if (typeof value !== 'string' || !USER_ID_PATTERN.test(value)) {
    throw badArgument(`${field} must be a user id (1 to 64 of A-Z a-z 0-9 _ . @ : -)`)
  }
  return value
}

export function checkGroupId(value: unknown, field = 'gid'): string {
  if (typeof value !== 'string' || !ROOM_ID_PATTERN.test(value)) {
    throw badArgument(`${field} must be 1 to 64 of A-Z a-z 0-9 _ . @ : -`)
  }
  return value
}

/** A list of user ids, at most MAX_RECIPIENTS of them (else 422 `too-many-recipients`), duplicates dropped. */
export function checkUserList(value: unknown, field: string): string[] {
  if (!Array.isArray(value)) throw badArgument(`${field} must be a list of user ids`)
  const users = [...new Set(value.map((user) => checkUserId(user, field)))]
  if (users.length > MAX_RECIPIENTS) {
    throw new ApiRefusal(422, 'too-many-recipients', `${users.length} recipients, at most ${MAX_RECIPIENTS}`)
  }
  return users
}

/**
 * Exactly the target field `kind` needs, checked: a user id (not `from`: 400 `invalid-target`), a
 * non-empty list of them, a group or room id. Any other target field is a 400.
 */
export function checkTarget(kind: SendKind, from: string, fields: { [K in keyof SendTarget]?: unknown }): SendTarget {
  const field = FIELD[kind]
  for (const name of TARGET_FIELDS) {
    if (name !== field && fields[name] !== undefined) throw badArgument(`this cmd takes no ${name}`)
  }
  switch (kind) {
    case 'user': {
      const to = checkUserId(fields.to, 'to')
      if (to === from) throw new ApiRefusal(400, 'invalid-target', 'a user cannot send to themselves')
      return { to }
    }
    case 'users': {
      const tos = checkUserList(fields.tos, 'tos')
      if (tos.length === 0) throw badArgument('tos must name at least one user')
      if (tos.includes(from)) throw new ApiRefusal(400, 'invalid-target', 'a user cannot send to themselves')
      return { tos }
    }
    case 'group':
      return { gid: checkGroupId(fields.gid) }
    case 'room':
      return { rid: checkGroupId(fields.rid, 'rid') }
    case 'broadcast':
      return {}
  }
}

/**
 * Who a checked target reaches right now. A group must exist (404 `unknown-target`), have `from` as
 * a member and someone besides (403 `not-a-member`, 422 `empty-group`); a room must have `from` in it.
 */
export async function resolveTarget(
  kind: SendKind,
  from: string,
  target: SendTarget,
  context: TargetContext,
): Promise<Recipients> {
  switch (kind) {
    case 'user':
      return { target: { type: 'user' }, users: [target.to ?? ''], keepForOffline: true }
    case 'users':
      return { target: { type: 'users' }, users: target.tos ?? [], keepForOffline: true }
    case 'group': {
      const gid = target.gid ?? ''
      const group = await context.groups.get(gid)
      if (!group) throw new ApiRefusal(404, 'unknown-target', `no group ${gid}`)
      if (!group.members.includes(from)) throw new ApiRefusal(403, 'not-a-member', `${from} is not in group ${gid}`)
      const users = group.members.filter((user) => user !== from)
      if (users.length === 0) throw new ApiRefusal(422, 'empty-group', `group ${gid} has no member besides ${from}`)
      return { target: { type: 'group', gid }, users, keepForOffline: true }
    }
    case 'room': {
      const rid = target.rid ?? ''
      const users = await context.rooms.membersOf(rid)
      if (!users.includes(from)) throw new ApiRefusal(403, 'not-a-member', `${from} is not in room ${rid}`)
      return { target: { type: 'room', rid }, users, keepForOffline: false }
    }
    case 'broadcast':
      return { target: { type: 'broadcast' }, users: await context.sessions.list(), keepForOffline: false }
  }
}
