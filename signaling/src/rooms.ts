/**
 * Room names. Messages are addressed to users, never to sockets: a user's session sits in its own
 * room, so routing keeps working when a Socket.IO adapter spreads users over several nodes.
 */

/** The room of one user's live session. */
export function userRoom(userId: string): string {
  return `user:${userId}`
}
