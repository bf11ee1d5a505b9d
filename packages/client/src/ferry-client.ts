import {
  CONNECT_TIMEOUT_MS,
  checkMessage,
  DEFAULT_MAX_BUFFER_BYTES,
  DEFAULT_RELAY_BYTES_PER_SECOND,
  DIRECT_CONNECT_TIMEOUT_MS,
  decodeFrame,
  encodeFrame,
  encodeMessage,
  FerryError,
  type FerryErrorCode,
  type FerryMessage,
  type FileMessage,
  type Frame,
  type IceServer,
  IDLE_TIMEOUT_MS,
  type ImageMessage,
  MAX_CMD_BYTES,
  MAX_MIME_BYTES,
  MAX_NAME_BYTES,
  MEDIA_TASK_ID_BASE,
  MESSAGE_TIMEOUT_MS,
  type MediaMessage,
  RELAY_USER_WINDOW_BYTES,
  type SendReceipt,
  SHA256_BYTES,
  USER_ID_PATTERN,
  utf8Encode,
} from '@ferry/protocol'
import { browserPlatform } from './browser/browser-platform.js'
import { bufferSource } from './buffer-source.js'
import { ServerDeliveries } from './deliveries/server-deliveries.js'
import { createEmitter, type Emitter } from './emitter.js'
import { LinkManager } from './link-manager.js'
import { ClientMedia, type MessageFromMediaOptions } from './media/client-media.js'
import type { CachedMedia } from './media/media-cache.js'
import { signalingHolders } from './media/media-holders.js'
import type {
  DownloadOptions,
  DownloadTask,
  ImageUploadOptions,
  MediaTask,
  UploadOptions,
} from './media/media-types.js'
import { OutgoingTransfer } from './outgoing-transfer.js'
import { fromPeer } from './peer-codes.js'
import type { PeerLink } from './peer-link.js'
import { ClientPresence } from './presence/client-presence.js'
import { Receiver } from './receiver.js'
import { RelayPool } from './relay-pool.js'
import { RelayPacer, relayChannel } from './relay-transport.js'
import { ClientRooms } from './rooms/client-rooms.js'
import type { RoomSendOptions } from './rooms/room-types.js'
import {
  ackDeliveries,
  loginError,
  onServerEvent,
  openSignaling,
  RECONNECT_DELAY_MAX_MS,
  request,
  type Signaling,
  type SignalingSocket,
  serverUrls,
} from './signaling-client.js'
import { type OutgoingTask, TaskTable } from './task-table.js'
import type {
  CancelResult,
  ConnectionState,
  FerryEvents,
  FerryOptions,
  FileInput,
  FileOptions,
  Platform,
  SendOptions,
  Task,
  TransferOptions,
} from './types.js'

/**
 * A Ferry user: logs in to the signaling server, then sends cmds, buffers and files straight to other
 * users over WebRTC data channels and receives theirs. Events go through `on()`; every send returns a
 * Task whose `done` promise settles with the same result as the `result` event.
 */
export class FerryClient {
  private readonly emitter: Emitter<FerryEvents> = createEmitter<FerryEvents>()
  private readonly platform: Platform
  private readonly tasks = new TaskTable()
  private readonly receiver: Receiver
  private readonly presence: ClientPresence
  private signaling: Signaling | undefined
  private loginRetry: ReturnType<typeof setTimeout> | undefined
  private links: LinkManager | undefined
  private me: string | undefined
  private connection: ConnectionState = 'disconnected'
  private serverIceServers: IceServer[] = []
  private serverRelays = true
  private serverRelayRate = DEFAULT_RELAY_BYTES_PER_SECOND
  private readonly relayPacer = new RelayPacer(() => this.serverRelayRate)
  private serverRelayWindow = RELAY_USER_WINDOW_BYTES
  private readonly relayPool = new RelayPool(() => this.serverRelayWindow)
  private readonly media: ClientMedia
  private readonly rooms: ClientRooms
  private readonly deliveries: ServerDeliveries

  constructor(private readonly options: FerryOptions) {
    this.platform = options.platform ?? browserPlatform()
    this.presence = new ClientPresence(
      {
        socket: () => this.loggedInSocket(),
        self: () => this.me,
        emit: (event) => this.emitter.emit('presence', event),
      },
      options.presence,
    )
    this.media = new ClientMedia({
      options,
      platform: this.platform,
      emit: (type, event) => this.emitter.emit(type, event as FerryEvents[typeof type]),
      link: (peer) => this.links!.get(peer),
      holders: signalingHolders(() => this.loggedInSocket()),
      reportError: ({ code, message }) => this.emitter.emit('error', { code, message }),
    })
    this.rooms = new ClientRooms({
      socket: () => this.loggedInSocket(),
      emitMember: (event) => this.emitter.emit('room-member', event),
      emitError: (code, message) => this.emitter.emit('error', { code, message }),
    })
    this.deliveries = new ServerDeliveries({
      listening: () => (this.emitter.all.get('message')?.length ?? 0) > 0,
      emit: (event) => this.emitter.emit('message', event),
      emitError: (code, message) => this.emitter.emit('error', { code, message }),
      sendAck: (deliveries, answer) => {
        if (this.socket) ackDeliveries(this.socket, deliveries, answer)
      },
    })
    this.receiver = new Receiver(this.emitter, this.platform, {
      ...(options.maxBufferBytes !== undefined ? { maxBufferBytes: options.maxBufferBytes } : {}),
      ...(options.maxBufferMemoryBytes !== undefined ? { maxBufferMemoryBytes: options.maxBufferMemoryBytes } : {}),
      ...(options.maxFileBytes !== undefined ? { maxFileBytes: options.maxFileBytes } : {}),
      idleTimeoutMs: options.idleTimeoutMs ?? IDLE_TIMEOUT_MS,
      self: () => this.me ?? '',
    })
  }

  /** The user id the server logged us in as; undefined before `connect()` resolves. */
  get userId(): string | undefined {
    return this.me
  }

  get state(): ConnectionState {
    return this.connection
  }

  /** The users this client follows (see `subscribePresence`) that are online now, as the server last said. */
  get online(): ReadonlySet<string> {
    return this.presence.online
  }

  /**
   * Listens to `type` events. Server-routed messages wait for the first `message` listener (up to
   * MAX_WAITING_DELIVERIES), however late it comes: it gets them on a microtask after this call.
   */
  on<K extends keyof FerryEvents>(type: K, handler: (event: FerryEvents[K]) => void): () => void {
    this.emitter.on(type, handler)
    if (type === 'message') queueMicrotask(() => this.deliveries.drain())
    return () => this.emitter.off(type, handler)
  }

  off<K extends keyof FerryEvents>(type: K, handler: (event: FerryEvents[K]) => void): void {
    this.emitter.off(type, handler)
  }

  /**
   * Logs in, to the first server of `url` that answers. Rejects with `bad-token`, `invalid-argument`
   * or `server-unreachable` (every URL was tried once). After a drop the client logs in again by
   * itself (`state` events: `reconnecting`, then `connected`), to the same node or the next of `url`;
   * see the README for what carries on meanwhile.
   */
  connect(): Promise<void> {
    if (this.signaling) return Promise.reject(new FerryError('invalid-argument', 'connect() was already called'))
    const urls = serverUrls(this.options.url)
    if (!urls) return Promise.reject(new FerryError('invalid-argument', 'url is a URL or a non-empty list of them'))
    const auth = {
      ...(this.options.userId !== undefined ? { userId: this.options.userId } : {}),
      ...(this.options.token !== undefined ? { token: this.options.token } : {}),
    }
    const signaling = openSignaling(urls, () => ({ ...auth, presence: this.presence.following }))
    const { socket } = signaling
    this.signaling = signaling
    this.setState('connecting')
    const invalid = (event: string, message: string): void =>
      this.emitter.emit('error', {
        code: 'protocol-error',
        message: `a malformed ${event} from the server: ${message}`,
      })
    return new Promise((resolve, reject) => {
      let ready = false
      let failures = 0
      socket.on('connect_error', (err) => {
        if (this.connection === 'closed') return
        const refused = loginError(err)
        // Socket.IO goes on trying by itself after a failed connection, never after a refused login.
        if (ready) {
          if (socket.active) return
          if (RETRY_LOGIN.has(refused.code)) this.retryLogin()
          else this.shutdown(refused.code, `logging in again was refused: ${refused.message}`)
          return
        }
        failures++
        if (socket.active && failures < urls.length) return
        socket.disconnect()
        this.signaling = undefined
        this.setState('disconnected')
        reject(refused)
      })
      onServerEvent(
        socket,
        'session:ready',
        ({ userId, online, iceServers, relay, relayBytesPerSecond, relayWindowBytes, media }) => {
          this.serverIceServers = iceServers
          this.serverRelays = relay
          if (relayBytesPerSecond !== undefined) this.serverRelayRate = relayBytesPerSecond
          this.useRelayWindow(relayWindowBytes)
          if (!this.links) this.links = this.createLinks(userId)
          this.me = userId
          this.media.onSession(userId, signaling.url(), media)
          this.presence.onReady(online)
          this.setState('connected')
          this.links.onSignalingReady((peer) => online.includes(peer))
          if (!ready) {
            ready = true
            resolve()
          } else this.rooms.rejoin()
        },
        invalid,
      )
      onServerEvent(socket, 'session:ended', ({ code, message }) => this.shutdown(code, message), invalid)
      socket.on('disconnect', () => {
        if (this.connection === 'closed' || !ready) return
        this.links?.onSignalingLost()
        this.setState(socket.active ? 'reconnecting' : 'disconnected')
      })
      onServerEvent(
        socket,
        'presence:online',
        ({ userId }) => {
          this.presence.onPresence(userId, true)
          this.links?.onPeerOnline(userId)
        },
        invalid,
      )
      onServerEvent(
        socket,
        'presence:offline',
        ({ userId }) => {
          this.presence.onPresence(userId, false)
          this.links?.close(userId, 'peer-gone', `${userId} went offline`)
        },
        invalid,
      )
      onServerEvent(socket, 'link:request', ({ from }) => this.links?.onRequest(from), invalid)
      onServerEvent(socket, 'link:signal', ({ from, link, data }) => this.links?.onSignal(from, link, data), invalid)
      onServerEvent(socket, 'relay:frame', ({ from }, frame) => this.links?.onRelayFrame(from, frame), invalid)
      onServerEvent(socket, 'relay:refused', ({ to, code, message }) => this.links?.close(to, code, message), invalid)
      onServerEvent(socket, 'message:deliver', (meta, payload) => this.deliveries.onDelivery(meta, payload), invalid)
      onServerEvent(socket, 'room:member', (event) => this.rooms.onMember(event), invalid)
    })
  }

  /**
   * Follows the presence of `users` too (at most MAX_PRESENCE_SUBSCRIPTIONS in all) and resolves with
   * those of them online; `presence` events follow as they come and go. Peers this client opens links
   * to are followed without asking. Rejects with `invalid-argument`, `too-many-recipients` or `not-logged-in`.
   */
  subscribePresence(users: string[]): Promise<string[]> {
    return this.presence.subscribe(users)
  }

  /** Stops following the presence of `users`. */
  unsubscribePresence(users: string[]): Promise<void> {
    return this.presence.unsubscribe(users)
  }

  /** Logs out: ends every task with `closed`, closes every link and the server connection. */
  async close(): Promise<void> {
    this.shutdown('closed', 'the client was closed')
  }

  /** Sends up to MAX_CMD_BYTES in one frame: no progress, not cancellable. Done when the receiver confirmed it. */
  sendCmd(to: string, data: string | Uint8Array, options: SendOptions = {}): Task {
    const entry = this.tasks.create('cmd', to, options.cookie, (event) => this.emitter.emit('result', event))
    const text = typeof data === 'string'
    if (!text && !(data instanceof Uint8Array)) {
      return this.tasks.failSoon(entry, new FerryError('invalid-argument', 'a cmd is a string or a Uint8Array'))
    }
    const payload = text ? utf8Encode(data) : data
    const refused = this.checkTarget(to) ?? (payload.length > MAX_CMD_BYTES ? cmdTooLarge(payload.length) : undefined)
    if (refused) return this.tasks.failSoon(entry, refused)
    const link = this.links!.get(to)
    const frame = encodeFrame({ type: 'cmd', taskId: entry.wireId, text, payload })
    const sent = () => {
      entry.sentGeneration = link.generation
    }
    if (!link.queue.offerControl(frame, sent)) {
      return this.tasks.failSoon(entry, queueFull(to))
    }
    entry.link = link
    entry.stop = startTimer(this.idleTimeoutMs, () =>
      this.tasks.settle(entry, new FerryError('idle-timeout', 'the receiver did not confirm the cmd')),
    )
    return entry.task
  }

  /** Sends bytes in chunks, with progress; cancellable. The receiver gets them whole, verified. */
  sendBuffer(to: string, data: Uint8Array | ArrayBuffer, options: TransferOptions = {}): Task {
    const entry = this.tasks.create('buffer', to, options.cookie, (event) => this.emitter.emit('result', event))
    if (!(data instanceof Uint8Array) && !(data instanceof ArrayBuffer)) {
      return this.tasks.failSoon(
        entry,
        new FerryError('invalid-argument', 'a buffer is a Uint8Array or an ArrayBuffer'),
      )
    }
    const bytes = data instanceof Uint8Array ? data : new Uint8Array(data)
    const max = this.options.maxBufferBytes ?? DEFAULT_MAX_BUFFER_BYTES
    const refused =
      this.checkTarget(to) ??
      (bytes.length > max
        ? new FerryError('buffer-too-large', `${bytes.length} bytes, limit ${max}; use sendFile`)
        : undefined)
    if (refused) return this.tasks.failSoon(entry, refused)
    if (!this.watchSignal(entry, options.signal)) return entry.task
    this.startTransfer(entry, 'buffer', bufferSource(bytes))
    return entry.task
  }

  /** Sends a file (a path with the Node platform, a Blob/File anywhere) chunk by chunk, never whole in memory. */
  sendFile(to: string, file: FileInput, options: FileOptions = {}): Task {
    const entry = this.tasks.create('file', to, options.cookie, (event) => this.emitter.emit('result', event))
    if (typeof file !== 'string' && !(typeof Blob !== 'undefined' && file instanceof Blob)) {
      return this.tasks.failSoon(
        entry,
        new FerryError('invalid-argument', 'a file is a Blob, a File or (in Node) a path'),
      )
    }
    const refused = this.checkTarget(to)
    if (refused) return this.tasks.failSoon(entry, refused)
    if (!this.watchSignal(entry, options.signal)) return entry.task
    this.platform.openFile(file, options.name, options.mime).then(
      (source) => {
        if (entry.ended) void source.close().catch(() => {})
        else {
          entry.fileName = source.name
          this.startTransfer(entry, 'file', source)
        }
      },
      (err: unknown) => this.tasks.settle(entry, asFerryError(err, 'file-read-error')),
    )
    return entry.task
  }

  /**
   * Sends a text, file or image message: one frame, confirmed by the receiver (its `message` event).
   * A message that encodes to more than MAX_MESSAGE_BYTES (text, file name, thumbnail and the rest)
   * fails with `message-too-large`.
   */
  sendMessage(to: string, message: FerryMessage | string, options: SendOptions = {}): Task {
    const entry = this.tasks.create('message', to, options.cookie, (event) => this.emitter.emit('result', event))
    const value: unknown = typeof message === 'string' ? { type: 'text', text: message } : message
    const check = checkMessage(value)
    const refused = this.checkTarget(to) ?? (check.ok ? undefined : new FerryError(check.code, check.reason))
    if (refused) return this.tasks.failSoon(entry, refused)
    const link = this.links!.get(to)
    const frame = encodeFrame({ type: 'message', taskId: entry.wireId, payload: encodeMessage(value as FerryMessage) })
    const sent = () => {
      entry.sentGeneration = link.generation
    }
    if (!link.queue.offerControl(frame, sent)) {
      return this.tasks.failSoon(entry, queueFull(to))
    }
    entry.link = link
    entry.stop = startTimer(MESSAGE_TIMEOUT_MS, () =>
      this.tasks.settle(entry, new FerryError('idle-timeout', 'the receiver did not confirm the message')),
    )
    return entry.task
  }

  /**
   * Uploads a file as media (the local cache, then the server store when the server has one) and
   * resolves with a file message carrying its new media id. Progress and the end come as
   * `media-progress` and `media-result` events; `cancelMedia(task.id)` or `options.signal` cancels.
   */
  createFileMessage(file: FileInput, options: UploadOptions = {}): MediaTask<FileMessage> {
    return this.media.upload<FileMessage>('file', file, options)
  }

  /** Like `createFileMessage` for an image: width and height are read from its header (JPEG, PNG, BMP, GIF, WebP) unless given. */
  createImageMessage(file: FileInput, options: ImageUploadOptions = {}): MediaTask<ImageMessage> {
    return this.media.upload<ImageMessage>('image', file, options)
  }

  /** A file or image message for a media id uploaded before, without uploading again. */
  messageFromMedia(mediaId: string, options?: MessageFromMediaOptions): Promise<FileMessage | ImageMessage> {
    return this.media.messageFromMedia(mediaId, options)
  }

  /**
   * Downloads a media by message (or bare media id): from the local cache, else an online peer that
   * holds it, else the server store. The content is checked against the published SHA-256 and cached.
   */
  downloadMedia(target: MediaMessage | string, options: DownloadOptions = {}): DownloadTask {
    return this.media.download(target, options)
  }

  /** Cancels an upload or download; what it had stored is removed. */
  cancelMedia(taskId: string): CancelResult {
    return this.media.cancel(taskId)
  }

  /** Media in this user's local cache, most recently used first. */
  listMedia(): Promise<CachedMedia[]> {
    return this.media.list()
  }

  /** Removes a media from the local cache (not from the server store). */
  deleteMedia(mediaId: string): Promise<boolean> {
    return this.media.delete(mediaId)
  }

  /**
   * Joins a room (at most MAX_ROOMS_PER_CLIENT, else `too-many-recipients`) and resolves with its members,
   * this user included. The others get a `room-member` event. Rooms joined are joined again after a reconnect.
   */
  joinRoom(room: string): Promise<{ members: string[] }> {
    return this.rooms.join(room)
  }

  /** Leaves a room (fine when not in it); the members who stay get a `room-member` event. */
  leaveRoom(room: string): Promise<void> {
    return this.rooms.leave(room)
  }

  /** Members of a room this user is in (`not-a-member` otherwise). */
  roomMembers(room: string): Promise<string[]> {
    return this.rooms.members(room)
  }

  /**
   * Sends a text, file or image message to every other member of a room this user is in, through the
   * server. They get it as a `message` event whose `delivery.target` is `{ type: 'room', rid }`.
   * Rejects with `not-a-member`, `invalid-argument`, `message-too-large` or `invalid-mtype`.
   */
  sendRoomMessage(room: string, message: FerryMessage | string, options?: RoomSendOptions): Promise<SendReceipt> {
    return this.rooms.send(room, message, options)
  }

  /** Cancels an unfinished buffer or file send. A cmd or message cannot be cancelled (answers `unknown-task`). */
  cancelSend(taskId: string): CancelResult {
    const entry = this.tasks.find(taskId)
    if (!entry) return this.tasks.wasFinished(taskId) ? 'already-finished' : 'unknown-task'
    if (entry.kind === 'cmd' || entry.kind === 'message') return 'unknown-task'
    if (entry.transfer) entry.transfer.cancel()
    else this.tasks.settle(entry, new FerryError('cancelled', 'cancelled by the sender'))
    return 'ok'
  }

  /** Refuses an incoming buffer or file transfer that has started; the sender's task ends `cancelled`. */
  cancelReceive(from: string, taskId: string): CancelResult {
    return this.receiver.cancel(from, taskId)
  }

  private get idleTimeoutMs(): number {
    return this.options.idleTimeoutMs ?? IDLE_TIMEOUT_MS
  }

  /** A login again was refused for now (the server's login budget, or a failure on its side): try later. */
  private retryLogin(): void {
    if (this.loginRetry !== undefined) return
    this.loginRetry = setTimeout(() => {
      this.loginRetry = undefined
      if (this.connection !== 'closed') this.signaling?.socket.connect()
    }, RECONNECT_DELAY_MAX_MS)
  }

  /** The signaling socket, one for the client's life (tests and the e2e support reach for it). */
  private get socket(): SignalingSocket | undefined {
    return this.signaling?.socket
  }

  private setState(state: ConnectionState, code?: FerryErrorCode): void {
    if (this.connection === state) return
    this.connection = state
    this.emitter.emit('state', code ? { state, code } : { state })
  }

  /** The signaling socket while logged in (rooms and media holders need one). */
  private loggedInSocket(): SignalingSocket | undefined {
    return this.links && this.connection !== 'closed' ? this.socket : undefined
  }

  /** The relay window `session:ready` announced (all relayed transfers share it), or the protocol's. */
  private useRelayWindow(bytes: number | undefined): void {
    const valid = typeof bytes === 'number' && Number.isSafeInteger(bytes) && bytes > 0
    this.serverRelayWindow = valid ? bytes : RELAY_USER_WINDOW_BYTES
  }

  private checkTarget(to: string): FerryError | undefined {
    if (!this.links || this.connection === 'closed') return new FerryError('not-logged-in', 'call connect() first')
    if (typeof to !== 'string' || !USER_ID_PATTERN.test(to)) return new FerryError('invalid-target', `bad user id`)
    if (to === this.me) return new FerryError('invalid-target', 'cannot send to oneself')
    return undefined
  }

  /** Hooks an AbortSignal to the task; false when it is already aborted (the task is then cancelled). */
  private watchSignal(entry: OutgoingTask, signal: AbortSignal | undefined): boolean {
    if (!signal) return true
    if (signal.aborted) {
      this.tasks.failSoon(entry, new FerryError('cancelled', 'the signal was already aborted'))
      return false
    }
    const onAbort = () => this.cancelSend(entry.task.id)
    signal.addEventListener('abort', onAbort, { once: true })
    const previous = entry.stop
    entry.stop = () => {
      previous?.()
      signal.removeEventListener('abort', onAbort)
    }
    return true
  }

  private startTransfer(entry: OutgoingTask, kind: 'buffer' | 'file', source: OutgoingTransferSource): void {
    const link = this.links!.get(entry.task.to)
    // The start frame is the app's request too: it waits in the control queue like a cmd.
    if (!link.queue.hasRoomForRequest(MAX_START_FRAME_BYTES)) {
      void source.close().catch(() => {})
      this.tasks.failSoon(entry, queueFull(entry.task.to))
      return
    }
    entry.link = link
    entry.transfer = new OutgoingTransfer({
      wireId: entry.wireId,
      kind,
      source,
      link,
      hasher: this.platform.createHasher(),
      idleTimeoutMs: this.idleTimeoutMs,
      onProgress: (sent, total) =>
        this.emitter.emit('progress', {
          taskId: entry.task.id,
          to: entry.task.to,
          kind,
          sent,
          total,
          cookie: entry.task.cookie,
        }),
      onEnd: (error) => this.tasks.settle(entry, error),
    })
  }

  private createLinks(self: string): LinkManager {
    const socket = this.signaling!.socket
    const requested = this.options.transport ?? 'auto'
    // A server that does not relay leaves `auto` with the direct path only.
    const mode = requested === 'auto' && !this.serverRelays ? 'direct' : requested
    return new LinkManager({
      self,
      mode,
      wrtc: this.platform.wrtc,
      rtcConfig: () => ({
        iceServers: [...(this.options.iceServers ?? []), ...this.serverIceServers],
        iceTransportPolicy: this.options.iceTransportPolicy ?? 'all',
      }),
      directTimeoutMs:
        this.options.connectTimeoutMs ?? (mode === 'auto' ? DIRECT_CONNECT_TIMEOUT_MS : CONNECT_TIMEOUT_MS),
      requestLink: (to) => request(socket, 'link:request', { to }),
      sendSignal: (to, link, data) => request(socket, 'link:signal', { to, link, data }),
      relayChannel: (peer) => relayChannel(socket, peer, this.relayPacer),
      relayPool: this.relayPool,
      handlers: {
        open: (link) => {
          this.presence.follow(link.peer)
          this.emitter.emit('link', { peer: link.peer, state: 'open', transport: link.transport! })
        },
        frame: (link, bytes) => this.onFrame(link, bytes),
        switched: (link) => this.onLinkSwitched(link),
        close: (link, code, message) => this.onLinkClosed(link, code, message),
      },
    })
  }

  /**
   * The link's transport was replaced mid-session. Transfers stop and agree with the peer where to go
   * on (resume frames); a cmd that was on the lost transport may or may not have arrived: it fails.
   */
  private onLinkSwitched(link: PeerLink): void {
    for (const entry of this.tasks.onLink(link)) {
      if (entry.transfer) entry.transfer.suspend()
      else if (entry.sentGeneration !== undefined && entry.sentGeneration < link.generation) {
        this.tasks.settle(entry, new FerryError('peer-gone', 'the link was lost with the cmd on it'))
      }
    }
    this.receiver.onLinkSwitched(link)
    this.media.peers.onLinkSwitched(link)
  }

  private onLinkClosed(link: PeerLink, code: FerryErrorCode, message: string): void {
    for (const entry of this.tasks.onLink(link)) {
      if (entry.transfer) entry.transfer.onLinkClosed(code, message)
      else this.tasks.settle(entry, new FerryError(code, message))
    }
    this.receiver.onLinkClosed(link, code, message)
    this.media.peers.onLinkClosed(link, code, message)
    const event: FerryEvents['link'] = { peer: link.peer, state: 'closed', code }
    if (link.transport) event.transport = link.transport
    this.emitter.emit('link', event)
  }

  private onFrame(link: PeerLink, bytes: Uint8Array): void {
    const decoded = decodeFrame(bytes)
    if (!decoded.ok) {
      this.emitter.emit('error', { code: decoded.code, message: decoded.reason, peer: link.peer })
      return
    }
    const frame = fromPeer(decoded.frame)
    this.relayPool.onFrame(link, frame)
    if (frame.taskId >= MEDIA_TASK_ID_BASE) {
      this.media.onFrame(link, frame)
      return
    }
    switch (frame.type) {
      case 'cmd':
        this.receiver.onCmd(link, frame)
        break
      case 'message':
        this.receiver.onMessage(link, frame)
        break
      case 'media-request':
        // Media requests always carry a media task id (see MEDIA_TASK_ID_BASE).
        this.emitter.emit('error', {
          code: 'protocol-error',
          message: 'a media request with a low task id',
          peer: link.peer,
        })
        break
      case 'start':
        this.receiver.onStart(link, frame)
        break
      case 'chunk':
        this.receiver.onChunk(link, frame.taskId, frame.offset, frame.data)
        break
      case 'end':
        this.receiver.onEnd(link, frame.taskId, frame.sha256)
        break
      case 'ack':
      case 'end-ack':
        this.onReceiverFrame(link, frame)
        break
      case 'cancel':
      case 'error': {
        const code = frame.type === 'cancel' ? 'cancelled' : frame.code
        const message = frame.type === 'cancel' ? `cancelled by the ${frame.origin}` : frame.message
        if (frame.origin === 'sender') this.receiver.onSenderEnd(link, frame.taskId, code, message)
        else this.onReceiverEnd(link, frame.taskId, code, message)
        break
      }
      case 'resume':
        if (frame.origin === 'sender') this.receiver.onResumeRequest(link, frame.taskId)
        else this.tasks.findOnLink(link, frame.taskId)?.transfer?.onResume(frame.offset)
        break
    }
  }

  /** The receiver of one of our tasks cancelled it or reported an error. */
  private onReceiverEnd(link: PeerLink, wireId: number, code: FerryErrorCode, message: string): void {
    const entry = this.tasks.findOnLink(link, wireId)
    if (entry?.transfer) entry.transfer.onPeerEnd(code, message)
    else if (entry) this.tasks.settle(entry, new FerryError(code, message))
  }

  private onReceiverFrame(link: PeerLink, frame: Frame & { type: 'ack' | 'end-ack' }): void {
    const entry = this.tasks.findOnLink(link, frame.taskId)
    if (!entry) return
    if (frame.type === 'ack') entry.transfer?.onAck(frame.received)
    else if (entry.transfer) entry.transfer.onEndAck()
    else this.tasks.settle(entry)
  }

  private shutdown(code: FerryErrorCode, message: string): void {
    if (this.connection === 'closed') return
    this.setState('closed', code)
    for (const entry of this.tasks.all()) {
      if (entry.transfer) entry.transfer.onLinkClosed(code, message)
      else this.tasks.settle(entry, new FerryError(code, message))
    }
    this.links?.closeAll(code, message)
    this.receiver.closeAll(code, message)
    this.media.shutdown(code, message)
    this.rooms.clear()
    if (this.loginRetry !== undefined) clearTimeout(this.loginRetry)
    // Acks of what the app got go out before the socket closes.
    this.deliveries.close()
    this.signaling?.socket.disconnect()
  }
}

type OutgoingTransferSource = ConstructorParameters<typeof OutgoingTransfer>[0]['source']

/** Refusals of a login again that pass: the client tries again later instead of closing. */
const RETRY_LOGIN: ReadonlySet<FerryErrorCode> = new Set(['rate-limited', 'unknown', 'server-unreachable'])

/** The largest start frame: its header, size, SHA-256, and the longest name and mime type with their lengths. */
const MAX_START_FRAME_BYTES = 6 + 2 + 8 + SHA256_BYTES + 2 + MAX_NAME_BYTES + 2 + MAX_MIME_BYTES

function queueFull(to: string): FerryError {
  return new FerryError('too-many-tasks', `too many frames wait for the link to ${to}; try again once some are sent`)
}

function cmdTooLarge(bytes: number): FerryError {
  return new FerryError('cmd-too-large', `${bytes} bytes, limit ${MAX_CMD_BYTES}`)
}

function asFerryError(err: unknown, fallback: FerryErrorCode): FerryError {
  if (err instanceof FerryError) return err
  return new FerryError(fallback, err instanceof Error ? err.message : String(err))
}

function startTimer(ms: number, fire: () => void): () => void {
  const timer = setTimeout(fire, ms)
  return () => clearTimeout(timer)
}
