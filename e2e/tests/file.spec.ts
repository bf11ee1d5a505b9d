import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { expect, test } from '../support/fixtures'
import { MIB, writeRandomFile } from '../support/random-file'

test('a 40 MiB file arrives whole: progress to 100 %, then saved with the same SHA-256, then deleted', async ({
  users,
  tempDir,
}) => {
  const file = await writeRandomFile(tempDir, 'forty.bin', 40 * MIB)
  const [alice, bob] = await users.login('alice', 'bob')
  await alice.pick(bob)
  await bob.page.evaluate(recordPercentages)

  await alice.sendFiles([file.path])

  const sent = alice.outgoing(file.name)
  const received = bob.incoming(file.name)
  await expect(received.getByTestId('status')).toHaveText('Received')
  await expect(sent.getByTestId('status')).toHaveText('Done')
  for (const row of [sent, received]) {
    await expect(row.getByTestId('progress-text')).toHaveText('100%')
    await expect(row.getByTestId('progress-bar')).toHaveAttribute('aria-valuenow', '100')
  }
  // The receiver's bar moved in steps on the way up, never backwards.
  const seen = await bob.page.evaluate(() => (window as unknown as { percentages: number[] }).percentages)
  expect(seen.at(-1)).toBe(100)
  expect(new Set(seen).size).toBeGreaterThan(3)
  expect(seen).toEqual([...seen].sort((a, b) => a - b))

  const [download] = await Promise.all([bob.page.waitForEvent('download'), received.getByTestId('save').click()])
  expect(download.suggestedFilename()).toBe(file.name)
  const digestInPage = await bob.page.evaluate(async (url) => {
    const bytes = await (await fetch(url)).arrayBuffer()
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))
    return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('')
  }, download.url())
  expect(digestInPage).toBe(file.sha256)
  const saved = await readFile(await download.path())
  expect(createHash('sha256').update(saved).digest('hex')).toBe(file.sha256)

  expect(await bob.storedRecords()).toBeGreaterThan(0)
  await received.getByTestId('delete').click()
  await expect(received).toHaveCount(0)
  await expect.poll(() => bob.storedRecords()).toBe(0)
})

/** Runs in the page: records every percentage an incoming row's progress text shows. */
function recordPercentages(): void {
  const seen: number[] = []
  ;(window as unknown as { percentages: number[] }).percentages = seen
  new MutationObserver((mutations) => {
    for (const mutation of mutations) {
      const target = mutation.target instanceof Element ? mutation.target : mutation.target.parentElement
      const text = target?.closest('[data-testid="progress-text"]')?.textContent
      if (target?.closest('[data-testid^="incoming-"]') && text) seen.push(Number.parseInt(text, 10))
    }
  }).observe(document.body, { subtree: true, childList: true, characterData: true })
}
