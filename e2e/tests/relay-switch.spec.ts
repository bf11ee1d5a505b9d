import { expect, test } from '../support/fixtures'
import { MIB, writeRandomFile } from '../support/random-file'
import { PATIENT_LINKS } from '../support/sent-data-hold'
import { untilHeld } from '../support/until-held'

test.use({ busyCores: true })

/** The direct connection dies at the first progress past this: well into the file, far from its end. */
const KILL_AFTER_BYTES = 8 * MIB
/**
 * More than the direct link can have carried when it dies (the kill point plus one window of
 * WINDOW_BYTES, 16 MiB, beyond the last ack), so the rest surely goes over the relay.
 */
const FILE_BYTES = 32 * MIB

test('the direct link dies mid-file on the sender: the file completes over the relay, intact', async ({
  users,
  tempDir,
  relayHolds,
}) => {
  const file = await writeRandomFile(tempDir, 'switch.bin', FILE_BYTES)
  const [alice, bob] = await users.loginWith(PATIENT_LINKS, 'alice', 'bob')
  await alice.pick(bob)
  await alice.openLink()
  await expect(alice.linkBadge(bob)).toHaveText('direct')
  await expect(bob.linkBadge(alice)).toHaveText('direct')

  // Whatever of the file goes through the server waits there, so the switch is seen mid-file.
  const relayed = relayHolds.hold(alice.name, 0)
  await alice.page.evaluate(closeDirectLinkOnProgress, { peer: bob.name, afterBytes: KILL_AFTER_BYTES })
  await alice.sendFiles([file.path])
  const sent = alice.outgoing(file.name)
  const received = bob.incoming(file.name)
  await expect.poll(() => alice.page.evaluate(killedAt)).not.toBeUndefined()
  const killed = (await alice.page.evaluate(killedAt))!
  expect(killed.closed, 'a direct connection was there to close').toBe(true)
  expect(killed.sent).toBeLessThan(FILE_BYTES)

  await untilHeld(() => relayed.heldFrames())
  await expect(alice.linkBadge(bob)).toHaveText('relay')
  await expect(sent.getByTestId('status')).toHaveText('Sending')
  await expect(received.getByTestId('status')).toHaveText('Receiving')
  relayed.release()

  await expect(received.getByTestId('status')).toHaveText('Received', { timeout: 60_000 })
  await expect(sent.getByTestId('status')).toHaveText('Done')
  for (const row of [sent, received]) {
    await expect(row.getByTestId('progress-text')).toHaveText('100%')
    await expect(row.getByTestId('progress-bar')).toHaveAttribute('aria-valuenow', '100')
  }
  await expect(bob.linkBadge(alice)).toHaveText('relay')
  expect(await bob.save(received)).toEqual({ name: file.name, sha256: file.sha256 })
})

interface Killed {
  /** Bytes the receiver had confirmed when the connection was closed. */
  sent: number
  /** False when the link had no direct connection to close. */
  closed: boolean
}

/** The client's private state down to a link's peer connection, reached through the page's debugging handle. */
interface ClientInternals {
  on(type: 'progress', handler: (event: { sent: number }) => void): () => void
  links: { links: Map<string, { direct?: { sp: { _pc?: RTCPeerConnection } } }> }
}

type ProbedWindow = { ferryDemo: { client: ClientInternals }; killed?: Killed }

/**
 * Runs in the page: at the first progress of an outgoing transfer past `afterBytes`, closes the peer
 * connection under the link to `peer`, as a network failure would, and notes how far the transfer was.
 */
function closeDirectLinkOnProgress({ peer, afterBytes }: { peer: string; afterBytes: number }): void {
  const probed = window as unknown as ProbedWindow
  const client = probed.ferryDemo.client
  const stop = client.on('progress', ({ sent }) => {
    if (sent < afterBytes) return
    const pc = client.links.links.get(peer)?.direct?.sp._pc
    pc?.close()
    probed.killed = { sent, closed: pc !== undefined }
    stop()
  })
}

/** Runs in the page: what `closeDirectLinkOnProgress` noted, once it fired. */
function killedAt(): Killed | undefined {
  return (window as unknown as ProbedWindow).killed
}
