import type { FerryClient, LinkTransport } from '@ferry/client'
import { el } from './dom'

/** The badge of an open link, and what it means on hover. */
const LINK_BADGES: Record<LinkTransport, { text: string; title: string }> = {
  direct: { text: 'direct', title: 'Connected directly, browser to browser' },
  turn: { text: 'TURN', title: 'Connected through a TURN server' },
  relay: { text: 'relay', title: 'Connected through the signaling server' },
}

/**
 * Who is online, live, and how the link to each goes (a badge while one is open, updated when it
 * switches, e.g. from direct to the relay). Picking someone makes them the target of every send. A
 * picked user who goes offline stays in the list, marked offline, so sending to them shows what
 * happens then.
 */
export class PeersView {
  readonly element: HTMLElement
  private readonly list = el('ul', { className: 'peers', testId: 'peer-list' })
  private readonly empty = el('p', { className: 'muted', testId: 'no-peers', text: 'Nobody else is online yet.' })
  private picked: string | undefined
  /** How the open link to each peer goes; no entry while there is none. */
  private readonly links = new Map<string, LinkTransport>()

  constructor(
    private readonly client: FerryClient,
    private readonly onPick: (peer: string) => void,
  ) {
    this.element = el('section', { className: 'card' }, [el('h2', { text: 'People online' }), this.list, this.empty])
    client.on('presence', () => this.render())
    client.on('link', ({ peer, state, transport }) => {
      if (state === 'open' && transport) this.links.set(peer, transport)
      else this.links.delete(peer)
      this.render()
    })
    this.render()
  }

  get peer(): string | undefined {
    return this.picked
  }

  private pick(peer: string): void {
    this.picked = peer
    this.render()
    this.onPick(peer)
  }

  private render(): void {
    const online = this.client.online
    const shown = [...online]
    if (this.picked && !online.has(this.picked)) shown.push(this.picked)
    shown.sort((a, b) => a.localeCompare(b))
    this.list.replaceChildren(...shown.map((peer) => this.item(peer, online.has(peer))))
    this.empty.hidden = shown.length > 0
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
