import type { FerryClient, LinkTransport } from '@ferry/client'
import { el } from './dom'
import type { Lobby } from './lobby'

/** The badge of an open link, and what it means on hover. */
const LINK_BADGES: Record<LinkTransport, { text: string; title: string }> = {
  direct: { text: 'direct', title: 'Connected directly, browser to browser' },
  turn: { text: 'TURN', title: 'Connected through a TURN server' },
  relay: { text: 'relay', title: 'Connected through the signaling server' },
}

/**
 * The people here, live: the other members of the lobby (see `Lobby`), anyone else this client
 * follows who is online (a peer it has a link to), and the picked user. Each shows how the link to them
 * goes (a badge while one is open, updated when it switches, e.g. from direct to the relay). Picking
 * someone makes them the target of every send and follows their presence, so a picked user who goes
 * offline stays in the list, marked offline, even one who left the lobby before.
 */
export class PeersView {
  readonly element: HTMLElement
  private readonly list = el('ul', { className: 'peers', testId: 'peer-list' })
  private readonly empty = el('p', { className: 'muted', testId: 'no-peers', text: 'Nobody else is here yet.' })
  private picked: string | undefined
  /** Whether the server took the follow of the picked user; asked again after a reconnect when not. */
  private pickFollowed = false
  /** How the open link to each peer goes; no entry while there is none. */
  private readonly links = new Map<string, LinkTransport>()

  constructor(
    private readonly client: FerryClient,
    private readonly lobby: Lobby,
    private readonly onPick: (peer: string) => void,
  ) {
    this.element = el('section', { className: 'card' }, [el('h2', { text: 'People here' }), this.list, this.empty])
    client.on('presence', () => this.render())
    client.on('link', ({ peer, state, transport }) => {
      if (state === 'open' && transport) this.links.set(peer, transport)
      else this.links.delete(peer)
      this.render()
    })
    client.on('state', ({ state }) => {
      if (state === 'connected' && this.picked !== undefined && !this.pickFollowed) void this.follow(this.picked)
    })
    this.render()
  }

  get peer(): string | undefined {
    return this.picked
  }

  /** The lobby's members changed. */
  update(): void {
    this.render()
  }

  private pick(peer: string): void {
    const previous = this.picked
    this.picked = peer
    if (previous !== peer) {
      // The client follows peers it has a link to by itself; stop following a former pick only otherwise.
      if (previous !== undefined && !this.links.has(previous))
        void this.client.unsubscribePresence([previous]).catch(noop)
      this.pickFollowed = false
      void this.follow(peer)
    }
    this.render()
    this.onPick(peer)
  }

  private async follow(peer: string): Promise<void> {
    try {
      await this.client.subscribePresence([peer])
    } catch {
      return // still listed from the lobby; asked again after the next reconnect
    }
    if (this.picked === peer) this.pickFollowed = true
    this.render()
  }

  private isOnline(peer: string): boolean {
    return this.lobby.members.has(peer) || this.client.online.has(peer)
  }

  private render(): void {
    const shown = new Set([...this.lobby.members, ...this.client.online])
    if (this.picked !== undefined) shown.add(this.picked)
    const sorted = [...shown].sort((a, b) => a.localeCompare(b))
    this.list.replaceChildren(...sorted.map((peer) => this.item(peer, this.isOnline(peer))))
    this.empty.hidden = sorted.length > 0
  }

  private item(peer: string, isOnline: boolean): HTMLLIElement {
    const picked = peer === this.picked
    const choose = el('button', {
      className: `peer${picked ? ' picked' : ''}${isOnline ? '' : ' offline'}`,
      testId: `peer-${peer}`,
      attrs: { type: 'button', 'aria-pressed': String(picked), 'data-online': String(isOnline) },
    })
    choose.append(
      el('span', { className: 'dot', attrs: { 'aria-hidden': 'true' } }),
      el('span', { className: 'peer-name', text: peer }),
      el('span', { className: 'peer-state', text: isOnline ? (picked ? 'selected' : '') : 'offline' }),
      ...this.linkBadge(peer),
    )
    choose.addEventListener('click', () => this.pick(peer))
    return el('li', {}, [choose])
  }

  private linkBadge(peer: string): HTMLElement[] {
    const transport = this.links.get(peer)
    if (!transport) return []
    const { text, title } = LINK_BADGES[transport]
    return [
      el('span', {
        className: 'link-badge',
        testId: 'link-badge',
        text,
        attrs: { title, 'data-transport': transport },
      }),
    ]
  }
}

function noop(): void {}
