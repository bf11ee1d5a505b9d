import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { type BrowserContext, expect, type Locator, type Page } from '@playwright/test'

/** What the page saved for a received file: the name it offered and the SHA-256 of the bytes. */
export interface SavedFile {
  name: string
  sha256: string
}

/** One person using the demo page in their own browser context, driven as they would click. */
export class DemoUser {
  constructor(
    readonly name: string,
    readonly context: BrowserContext,
    readonly page: Page,
  ) {}

  get banner(): Locator {
    return this.page.getByTestId('error-banner')
  }

  get messages(): Locator {
    return this.page.getByTestId('message-list').getByTestId('message')
  }

  /** Chat messages (text, image, file) both ways, oldest first. */
  get chat(): Locator {
    return this.page.getByTestId('chat-list').getByTestId('chat-message')
  }

  /** Room chat messages (every room joined, both ways), oldest first. */
  get roomChat(): Locator {
    return this.page.getByTestId('room-chat-list').getByTestId('chat-message')
  }

  /** The member count of the room picked in the rooms panel. */
  get roomCount(): Locator {
    return this.page.getByTestId('room-count')
  }

  async login(): Promise<void> {
    await this.page.getByTestId('login-name').fill(this.name)
    await this.page.getByTestId('login-button').click()
    await expect(this.page.getByTestId('me')).toHaveText(this.name)
  }

  /** Leaves the demo's lobby room through the page's client, staying logged in: a silent exit from the people list. */
  leaveLobby(): Promise<void> {
    return this.page.evaluate(leaveLobby)
  }

  /** Cuts the page's connection to the signaling server, as a network drop would, until `reconnect()`. */
  async dropConnection(): Promise<void> {
    await this.page.evaluate(setSignaling, false)
    await expect(this.page.getByTestId('connection')).toHaveAttribute('data-state', 'disconnected')
  }

  /** Lets the page's client connect again after `dropConnection()`, and waits until it is back online. */
  async reconnect(): Promise<void> {
    await this.page.evaluate(setSignaling, true)
    await expect(this.page.getByTestId('connection')).toHaveAttribute('data-state', 'connected')
  }

  peerButton(peer: DemoUser): Locator {
    return this.page.getByTestId(`peer-${peer.name}`)
  }

  /** How the link to `peer` goes, as the peers list shows it: `direct`, `TURN` or `relay`. */
  linkBadge(peer: DemoUser): Locator {
    return this.peerButton(peer).getByTestId('link-badge')
  }

  /** Picks `peer` as the target of every send, once the page lists them. */
  async pick(peer: DemoUser): Promise<void> {
    await this.peerButton(peer).click()
    await expect(this.peerButton(peer)).toHaveAttribute('aria-pressed', 'true')
    await expect(this.page.getByTestId('send-title')).toHaveText(`Send to ${peer.name}`)
  }

  async sendCmd(text: string): Promise<void> {
    await this.page.getByTestId('cmd-input').fill(text)
    await this.page.getByTestId('cmd-send').click()
  }

  /**
   * Sends a cmd to the picked user and waits until they confirmed it, so the link to them is open.
   * A message gives its receiver MESSAGE_TIMEOUT_MS (10 s) to confirm it, counted while the link is
   * still connecting; on a loaded machine, opening the link first keeps that to the message itself.
   */
  async openLink(): Promise<void> {
    await this.sendCmd('opening the link')
    await expect(this.messages.last().getByTestId('message-status')).toHaveText('Delivered')
  }

  async sendText(text: string): Promise<void> {
    await this.page.getByTestId('text-message-input').fill(text)
    await this.page.getByTestId('text-message-send').click()
  }

  /**
   * Sends a file as a chat message (uploaded, then sent by id), waits until the receiver confirmed
   * it, and returns its media id.
   */
  async sendMediaMessage(path: string, name: string): Promise<string> {
    await this.page.getByTestId('media-input').setInputFiles(path)
    const sent = this.mediaMessage(name).last()
    await expect(sent.getByTestId('chat-status')).toHaveText('Delivered', { timeout: 60_000 })
    const mediaId = await sent.getAttribute('data-media-id')
    if (!mediaId) throw new Error(`the message of ${name} has no media id`)
    return mediaId
  }

  /** The chat messages that carry a media, by its file name. */
  mediaMessage(name: string): Locator {
    return this.chat.filter({ has: this.page.getByTestId('media-name').getByText(name, { exact: true }) })
  }

  /** Ids of the media in this user's local media cache, from the page's client. */
  cachedMedia(): Promise<string[]> {
    return this.page.evaluate(listCachedMedia)
  }

  /** Lowercase hex SHA-256 of what a URL in the page holds, e.g. the object URL of a downloaded image. */
  sha256Of(url: string): Promise<string> {
    return this.page.evaluate(digestOf, url)
  }

  /** Joins `room` from the rooms panel and waits until it is listed and picked. */
  async joinRoom(room: string): Promise<void> {
    await this.page.getByTestId('room-name').fill(room)
    await this.page.getByTestId('room-join').click()
    await expect(this.page.getByTestId(`joined-room-${room}`)).toHaveAttribute('aria-pressed', 'true')
  }

  /** Leaves `room` from the rooms panel and waits until it is no longer listed. */
  async leaveRoom(room: string): Promise<void> {
    await this.page.getByTestId(`leave-room-${room}`).click()
    await expect(this.page.getByTestId(`joined-room-${room}`)).toHaveCount(0)
  }

  /** `member` in the member list of the room picked in the rooms panel. */
  roomMember(member: DemoUser): Locator {
    return this.page.getByTestId('room-members').getByTestId(`room-member-${member.name}`)
  }

  async sendRoomText(text: string): Promise<void> {
    await this.page.getByTestId('room-text-input').fill(text)
    await this.page.getByTestId('room-text-send').click()
  }

  /**
   * Sends a file to the picked room as a message (uploaded once, then sent by id), waits until the
   * server took it, and returns its media id.
   */
  async sendRoomMedia(path: string, name: string): Promise<string> {
    await this.page.getByTestId('room-media-input').setInputFiles(path)
    const sent = this.roomMediaMessage(name).last()
    await expect(sent.getByTestId('chat-status')).toHaveText('Sent to the room', { timeout: 60_000 })
    const mediaId = await sent.getAttribute('data-media-id')
    if (!mediaId) throw new Error(`the room message of ${name} has no media id`)
    return mediaId
  }

  /** The room chat messages that carry a media, by its file name. */
  roomMediaMessage(name: string): Locator {
    return this.roomChat.filter({ has: this.page.getByTestId('media-name').getByText(name, { exact: true }) })
  }

  async sendBuffer(mebibytes: number): Promise<void> {
    await this.page.getByTestId('buffer-size').fill(String(mebibytes))
    await this.page.getByTestId('buffer-send').click()
  }

  async sendFiles(paths: string[]): Promise<void> {
    await this.page.getByTestId('file-input').setInputFiles(paths)
  }

  /** The row of a buffer or file this user sends, by its name. */
  outgoing(title: string): Locator {
    return this.rows('transfer-', title)
  }

  /** The row of a buffer or file this user receives, by its name. */
  incoming(title: string): Locator {
    return this.rows('incoming-', title)
  }

  /** Clicks Save on a received file's row and hashes what the browser downloaded. */
  async save(row: Locator): Promise<SavedFile> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), row.getByTestId('save').click()])
    const bytes = await readFile(await download.path())
    return { name: download.suggestedFilename(), sha256: createHash('sha256').update(bytes).digest('hex') }
  }

  /** Records left in the page's received-file storage (IndexedDB 'ferry-files'); no database counts as none. */
  storedRecords(): Promise<number> {
    return this.page.evaluate(countStoredRecords, 'ferry-files')
  }

  private rows(prefix: string, title: string): Locator {
    return this.page
      .locator(`li[data-testid^="${prefix}"]`)
      .filter({ has: this.page.getByTestId('transfer-name').getByText(title, { exact: true }) })
  }
}

/** The part of the page's client (`window.ferryDemo.client`) these helpers call. */
interface PageClient {
  listMedia(): Promise<{ mediaId: string }[]>
  leaveRoom(room: string): Promise<void>
  /** Private: the client's Socket.IO socket to the signaling server. */
  socket: { connect(): void; disconnect(): void }
}

type DemoWindow = { ferryDemo?: { client: PageClient; lobby: string } }

/** Runs in the page: leaves the lobby room the people list comes from. */
async function leaveLobby(): Promise<void> {
  const demo = (window as unknown as DemoWindow).ferryDemo
  if (!demo) throw new Error('nobody is logged in on this page')
  await demo.client.leaveRoom(demo.lobby)
}

/** Runs in the page: disconnects the client's socket (no reconnect until told), or connects it again. */
function setSignaling(connected: boolean): void {
  const demo = (window as unknown as DemoWindow).ferryDemo
  if (!demo) throw new Error('nobody is logged in on this page')
  if (connected) demo.client.socket.connect()
  else demo.client.socket.disconnect()
}

/** Runs in the page: the media ids in the logged-in user's cache. */
async function listCachedMedia(): Promise<string[]> {
  const demo = (window as unknown as DemoWindow).ferryDemo
  if (!demo) throw new Error('nobody is logged in on this page')
  return (await demo.client.listMedia()).map((media) => media.mediaId)
}

/** Runs in the page: the SHA-256 of the bytes behind `url`. */
async function digestOf(url: string): Promise<string> {
  const bytes = await (await fetch(url)).arrayBuffer()
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('')
}

/** Runs in the page: how many records every object store of `name` holds together. */
async function countStoredRecords(name: string): Promise<number> {
  const databases = await indexedDB.databases()
  if (!databases.some((database) => database.name === name)) return 0
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(name)
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error)
  })
  try {
    let total = 0
    for (const store of Array.from(db.objectStoreNames)) {
      total += await new Promise<number>((resolve, reject) => {
        const request = db.transaction(store).objectStore(store).count()
        request.onsuccess = () => resolve(request.result)
        request.onerror = () => reject(request.error)
      })
    }
    return total
  } finally {
    db.close()
  }
}
