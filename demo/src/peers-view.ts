import type { FerryClient } from '@ferry/client'
import { el } from './dom'

/**
 * Who is online, live. Picking someone makes them the target of every send. A picked user who goes
 * offline stays in the list, marked offline, so sending to them shows what happens then.
 */
export class PeersView {
  readonly element: HTMLElement
  private readonly list = el('ul', { className: 'peers', testId: 'peer-list' })
  private readonly empty = el('p', { className: 'muted', testId: 'no-peers', text: 'Nobody else is online yet.' })
  private picked: string | undefined

  constructor(
    private readonly client: FerryClient,
    private readonly onPick: (peer: string) => void,
  ) {
    this.element = el('section', { className: 'card' }, [el('h2', { text: 'People online' }), this.list, this.empty])
    client.on('presence', () => this.render())
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
    )
    choose.addEventListener('click', () => this.pick(peer))
    return el('li', {}, [choose])
  }
}
