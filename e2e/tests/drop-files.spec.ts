import { expect, test } from '../support/fixtures'

/** A 1×1 PNG. */
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=='

test('several files dropped at once all arrive, and an image gets a preview', async ({ users }) => {
  const [alice, bob] = await users.login('alice', 'bob')
  await alice.pick(bob)

  const dataTransfer = await alice.page.evaluateHandle((png) => {
    const transfer = new DataTransfer()
    const pixel = Uint8Array.from(atob(png), (c) => c.charCodeAt(0))
    transfer.items.add(new File([pixel], 'dot.png', { type: 'image/png' }))
    transfer.items.add(new File(['first line\nsecond line\n'], 'notes.txt', { type: 'text/plain' }))
    return transfer
  }, PNG_BASE64)
  await alice.page.getByTestId('drop-zone').dispatchEvent('dragenter', { dataTransfer })
  await expect(alice.page.getByTestId('drop-zone')).toHaveClass(/dragging/)
  await alice.page.getByTestId('drop-zone').dispatchEvent('drop', { dataTransfer })
  await expect(alice.page.getByTestId('drop-zone')).not.toHaveClass(/dragging/)

  for (const name of ['dot.png', 'notes.txt']) {
    await expect(alice.outgoing(name).getByTestId('status')).toHaveText('Done')
    await expect(bob.incoming(name).getByTestId('status')).toHaveText('Received')
  }
  const preview = bob.incoming('dot.png').getByTestId('preview')
  await expect(preview).toBeVisible()
  await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1)
  await expect(bob.incoming('notes.txt').getByTestId('preview')).toHaveCount(0)
})
