import { type Group, MAX_RECIPIENTS } from '@ferry/protocol'
import type { GroupStore } from '../groups/group-store.js'
import { ApiRefusal, badArgument } from './api-refusal.js'
import { checkGroupId, checkUserList } from './send-target.js'

/** An answer with no body is a 204. */
export interface ApiReply {
  status: number
  body?: object
}

/** `POST /api/groups` `{ gid, members? }`: 201 with the group; 409 when the gid is taken. */
export async function createGroup(groups: GroupStore, body: unknown): Promise<ApiReply> {
  const request = asObject(body)
  const gid = checkGroupId(request.gid)
  const members = request.members === undefined ? [] : checkUserList(request.members, 'members')
  if (!(await groups.create(gid, members))) throw new ApiRefusal(409, 'invalid-argument', `group ${gid} exists`)
  return { status: 201, body: { gid, members } satisfies Group }
}

export async function getGroup(groups: GroupStore, gid: string): Promise<ApiReply> {
  const group = await groups.get(checkGroupId(gid))
  if (!group) throw unknownGroup(gid)
  return { status: 200, body: group }
}

export async function listGroups(groups: GroupStore): Promise<ApiReply> {
  return { status: 200, body: { groups: await groups.list() } }
}

export async function deleteGroup(groups: GroupStore, gid: string): Promise<ApiReply> {
  if (!(await groups.delete(checkGroupId(gid)))) throw unknownGroup(gid)
  return { status: 204 }
}

/** `POST /api/groups/:gid/members` `{ add?, remove? }`: the group after; 422 past MAX_RECIPIENTS members. */
export async function changeMembers(groups: GroupStore, gid: string, body: unknown): Promise<ApiReply> {
  checkGroupId(gid)
  const request = asObject(body)
  const add = request.add === undefined ? [] : checkUserList(request.add, 'add')
  const remove = request.remove === undefined ? [] : checkUserList(request.remove, 'remove')
  const result = await groups.update(gid, add, remove, MAX_RECIPIENTS)
  if (!result) throw unknownGroup(gid)
  if ('tooMany' in result) {
    throw new ApiRefusal(422, 'too-many-recipients', `${result.tooMany} members, at most ${MAX_RECIPIENTS}`)
  }
  return { status: 200, body: result }
}

function unknownGroup(gid: string): ApiRefusal {
  return new ApiRefusal(404, 'unknown-target', `no group ${gid}`)
}

export function asObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw badArgument('the body must be a JSON object')
  return body as Record<string, unknown>
}
