import { FerryError, MAX_PRESENCE_SUBSCRIPTIONS, USER_ID_PATTERN } from '@ferry/protocol'
import { requestWith, type SignalingSocket } from '../signaling-client.js'

export interface ClientPresenceOptions {
  /** The signaling socket once logged in; undefined before `connect()` and after `close()`. */
  socket(): SignalingSocket | undefined
  /** This client's user id once logged in. */
  self(): string | undefined
  /** A followed user came online or went offline. */
  emit(event: { userId: string; online: boolean }): void
}

/**
 * The presence of the users this client follows (Agora's `subscribePeersOnlineStatus`): whom the app
 * subscribed to, and every peer this client opened a link to. The server tells a user about those only,
 * so the cost of presence does not grow with everyone online. The followed users are named again in
 * the handshake of every reconnect, and `session:ready` says which of them are online.
 */
export class ClientPresence {
  private readonly followed = new Set<string>()
  private readonly onlineUsers = new Set<string>()

  constructor(
    private readonly o: ClientPresenceOptions,
    initial: readonly string[] = [],
  ) {
    for (const user of checkUsers(initial)) this.followed.add(user)
  }

  /** Followed users online now, as the server last said. */
  get online(): ReadonlySet<string> {
    return this.onlineUsers
  }

  /** Every user this client follows, for the handshake. */
  get following(): string[] {
    return [...this.followed]
  }

  /**
   * Follows `users` too and resolves with those of them online. Rejects with `invalid-argument` for a
   * bad id, `too-many-recipients` past MAX_PRESENCE_SUBSCRIPTIONS, `not-logged-in` before `connect()`.
   */
  async subscribe(users: readonly string[]): Promise<string[]> {
    const wanted = checkUsers(users).filter((user) => user !== this.o.self())
    const added = wanted.filter((user) => !this.followed.has(user))
    if (this.followed.size + added.length > MAX_PRESENCE_SUBSCRIPTIONS) {
      throw new FerryError('too-many-recipients', `at most ${MAX_PRESENCE_SUBSCRIPTIONS} users can be followed`)
    }
    const answer = await requestWith<{ online: string[] }>(this.socketOrThrow(), 'presence:subscribe', [
      { users: wanted },
    ])
    if (!answer.ok) throw new FerryError(answer.code, answer.message)
    for (const user of wanted) this.followed.add(user)
    for (const user of wanted) this.set(user, answer.online.includes(user), false)
    return answer.online
  }

  /** Stops following `users`; they leave `online`, without presence events. */
  async unsubscribe(users: readonly string[]): Promise<void> {
    const dropped = checkUsers(users)
    for (const user of dropped) {
      this.followed.delete(user)
      this.onlineUsers.delete(user)
    }
    const answer = await requestWith<{}>(this.socketOrThrow(), 'presence:unsubscribe', [{ users: dropped }])
    if (!answer.ok) throw new FerryError(answer.code, answer.message)
  }

  /**
   * Follows a peer this client talks to, so it learns when that peer leaves; best effort, and never
   * past the limit (the app's own subscriptions come first).
   */
  follow(user: string): void {
    if (this.followed.has(user) || this.followed.size >= MAX_PRESENCE_SUBSCRIPTIONS) return
    if (!USER_ID_PATTERN.test(user) || user === this.o.self()) return
    this.followed.add(user)
    const socket = this.o.socket()
    if (!socket?.connected) return // the next handshake names it
    void requestWith<{ online: string[] }>(socket, 'presence:subscribe', [{ users: [user] }]).then((answer) => {
      if (answer.ok && this.followed.has(user)) this.set(user, answer.online.includes(user), true)
    })
  }

  /** A (re)login is ready: `online` are the followed users online now; changes since are announced. */
  onReady(online: readonly string[]): void {
    const now = new Set(online.filter((user) => this.followed.has(user)))
    for (const user of [...this.onlineUsers]) if (!now.has(user)) this.set(user, false, true)
    for (const user of now) this.set(user, true, true)
  }

  /** `presence:online` / `presence:offline` from the server. */
  onPresence(userId: string, online: boolean): void {
    if (this.followed.has(userId)) this.set(userId, online, true)
  }

  private set(user: string, online: boolean, announce: boolean): void {
    if (this.onlineUsers.has(user) === online) return
    if (online) this.onlineUsers.add(user)
    else this.onlineUsers.delete(user)
    if (announce) this.o.emit({ userId: user, online })
  }

  private socketOrThrow(): SignalingSocket {
    const socket = this.o.socket()
    if (!socket) throw new FerryError('not-logged-in', 'call connect() first')
    return socket
  }
}

/** Distinct user ids, each checked: `invalid-argument` for anything else. */
function checkUsers(users: readonly string[]): string[] {
  if (!Array.isArray(users)) throw new FerryError('invalid-argument', 'users must be a list of user ids')
  for (const user of users) {
    if (typeof user !== 'string' || !USER_ID_PATTERN.test(user)) {
      throw new FerryError('invalid-argument', `not a user id: ${JSON.stringify(user)}`)
    }
  }
  if (users.length > MAX_PRESENCE_SUBSCRIPTIONS) {
    throw new FerryError('too-many-recipients', `at most ${MAX_PRESENCE_SUBSCRIPTIONS} users can be followed`)
  }
  return [...new Set(users)]
}
