import type { FerryClient, FerryErrorCode } from '@ferry/client'
import { ChatView } from './chat-view'
import { button, el } from './dom'
import { ErrorBanner } from './error-banner'
import { errorText } from './error-text'
import { Lobby } from './lobby'
import { MessagesView } from './messages-view'
import { PeersView } from './peers-view'
import { RoomChatView } from './room-chat-view'
import { RoomsView } from './rooms-view'
import { SendPanel } from './send-panel'
import { TransfersView } from './transfers-view'

const RECONNECTING = 'Lost the connection to the server: reconnecting…'
const PICK_FIRST = 'Pick someone to send to first'

export interface AppViewOptions {
  /** Shown in the header when the links are not set up the default way, e.g. relay only. */
  linkMode: string | undefined
  /** Runs once the user is logged out, from this page or by the server. */
  onEnd(code: FerryErrorCode | undefined): void
}

/** The page of a logged-in user: who is here, what to send to whom, rooms, the chats, transfers and cmds. */
export function appView(client: FerryClient, options: AppViewOptions): HTMLElement {
  const banner = new ErrorBanner()
  const transfers = new TransfersView(client)
  const messages = new MessagesView()
  const chat = new ChatView(client)
  const roomChat = new RoomChatView(client)
  const me = client.userId ?? ''

  const withPeer = (send: (peer: string) => void) => {
    const peer = peers.peer
    if (peer) send(peer)
    else banner.show(PICK_FIRST)
  }
  const report = (problem: string | undefined) => {
    if (problem) banner.show(problem)
  }
  const panel = new SendPanel({
    cmd: (text) =>
      withPeer(async (peer) => {
        const problem = await messages.sent(client.sendCmd(peer, text), text)
        if (problem) banner.show(problem)
      }),
    text: (text) => withPeer((peer) => void chat.sendText(peer, text).then(report)),
    media: (files) =>
      withPeer((peer) => {
        for (const file of files) void chat.sendMedia(peer, file).then(report)
      }),
    buffer: (size) => withPeer((peer) => transfers.sendBuffer(peer, size)),
    files: (files) =>
      withPeer((peer) => {
        for (const file of files) transfers.sendFile(peer, file)
      }),
  })
  const rooms = new RoomsView(client, {
    text: (room, text) => void roomChat.sendText(room, text).then(report),
    media: (room, files) => {
      for (const file of files) void roomChat.sendMedia(room, file).then(report)
    },
    report: (problem) => banner.show(problem),
  })
  const lobby = new Lobby(client, {
    changed: () => peers.update(),
    report: (problem) => banner.show(problem),
  })
  const peers = new PeersView(client, lobby, (peer) => {
    panel.setPeer(peer)
    banner.clear(PICK_FIRST)
  })
  void lobby.join()

  const connection = el('span', { className: 'connection', testId: 'connection', text: 'Online' })
  client.on('cmd', ({ from, data }) => messages.received(from, data))
  client.on('error', ({ code, peer }) => banner.show(errorText(code, peer)))
  client.on('state', ({ state, code }) => {
    connection.textContent = state === 'connected' ? 'Online' : state === 'closed' ? 'Offline' : 'Reconnecting…'
    connection.dataset.state = state
    if (state === 'reconnecting' || state === 'disconnected') banner.show(RECONNECTING)
    if (state === 'connected') banner.clear(RECONNECTING)
    if (state === 'closed') {
      panel.stopDrops()
      options.onEnd(code)
    }
  })

  const linkMode = options.linkMode
    ? [el('span', { className: 'link-mode', testId: 'link-mode', text: options.linkMode })]
    : []
  const header = el('header', { className: 'top' }, [
    el('span', { className: 'brand', text: 'Ferry' }),
    ...linkMode,
    el('span', { className: 'whoami' }, [
      el('span', { className: 'whoami-label', text: 'Logged in as' }),
      el('strong', { testId: 'me', text: me }),
      connection,
    ]),
    button('Log out', () => void client.close(), { className: 'link', testId: 'logout' }),
  ])
  return el('div', { className: 'app' }, [
    header,
    banner.element,
    el('div', { className: 'layout' }, [
      el('div', { className: 'column' }, [peers.element, panel.element, rooms.element]),
      el('div', { className: 'column' }, [chat.element, roomChat.element, transfers.element, messages.element]),
    ]),
  ])
}
