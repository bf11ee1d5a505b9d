import type { FerryErrorCode } from '@ferry/protocol'

export type TransferOutcome = 'delivered' | FerryErrorCode

/**
 * How recently ended incoming transfers ended, by peer, so a sender that lost the end-ack (or the
 * error) with a dead transport and asks to resume is told instead of starting over. Each peer has
 * its own bounded share: one that ends many transfers (a hostile one ends them on purpose) pushes
 * out only its own outcomes.
 */
export class EndedTransfers {
  /** Least recent first, peers and each peer's transfers alike (a Map keeps insertion order). */
  private readonly byPeer = new Map<string, Map<number, TransferOutcome>>()

  constructor(
    private readonly perPeer: number,
    private readonly peers: number,
  ) {}

  add(peer: string, taskId: number, outcome: TransferOutcome): void {
    const ended = this.byPeer.get(peer) ?? new Map<number, TransferOutcome>()
    this.byPeer.delete(peer)
    this.byPeer.set(peer, ended)
    ended.delete(taskId)
    ended.set(taskId, outcome)
    if (ended.size > this.perPeer) ended.delete(ended.keys().next().value!)
    if (this.byPeer.size > this.peers) this.byPeer.delete(this.byPeer.keys().next().value!)
  }

  get(peer: string, taskId: number): TransferOutcome | undefined {
    return this.byPeer.get(peer)?.get(taskId)
  }
}
