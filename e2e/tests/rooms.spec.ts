import type { DemoUser } from '../support/demo-user'
import { expect, test } from '../support/fixtures'
import { writePng } from '../support/test-image'

const ROOM = 'team'

test('room members see each other join and leave; an image sent to the room reaches the members only', async ({
  users,
  tempDir,
}) => {
  const image = await writePng(tempDir, 'team-photo.png', 1600, 900)
  const [alice, bob, carol, dave] = await users.login('alice', 'bob', 'carol', 'dave')
  const team = [alice, bob, carol]
  // The lobby behind the people list is no room joined by hand: dave sees everyone, and no room.
  for (const user of team) await expect(dave.peerButton(user)).toHaveAttribute('data-online', 'true')
  await expect(dave.page.getByTestId('no-rooms')).toBeVisible()

  for (const user of team) await user.joinRoom(ROOM)
  for (const user of team) {
    await expect(user.roomCount).toHaveText('3')
    for (const member of team) await expect(user.roomMember(member)).toBeVisible()
    await expect(user.roomMember(dave)).toHaveCount(0)
  }

  await bob.sendRoomText('Hi team')
  for (const user of [alice, carol]) {
    const text = user.roomChat.filter({ hasText: 'Hi team' })
    await expect(text.getByTestId('chat-from')).toHaveText(bob.name)
    await expect(text.getByTestId('chat-room')).toHaveText(ROOM)
  }

  // Uploaded once, sent to the room by id: each member downloads it, and the first download spreads it.
  const mediaId = await alice.sendRoomMedia(image.path, image.name)
  for (const user of [bob, carol]) {
    const received = user.roomMediaMessage(image.name)
    await expect(received).toHaveAttribute('data-media-id', mediaId)
    await expect(received).toHaveAttribute('data-type', 'image')
    await expect(received.getByTestId('chat-from')).toHaveText(alice.name)
    await expect(received.getByTestId('chat-room')).toHaveText(ROOM)
    await expect(received.getByTestId('media-dimensions')).toHaveText('1600 × 900')
    await expect(received.getByTestId('media-thumbnail')).toBeVisible()
  }
  const sources: string[] = []
  for (const user of [bob, carol]) sources.push(await downloadWhole(user, mediaId, image))
  expect(sources).toContain('peer')
  // Senders do not get their own room messages back.
  await expect(alice.roomChat).toHaveCount(2)

  // Dave is online but not in the room: nothing reached him, in either chat.
  await expect(dave.page.getByTestId('no-room-chat')).toBeVisible()
  await expect(dave.roomChat).toHaveCount(0)
  await expect(dave.chat).toHaveCount(0)

  await carol.leaveRoom(ROOM)
  for (const user of [alice, bob]) {
    await expect(user.roomCount).toHaveText('2')
    await expect(user.roomMember(carol)).toHaveCount(0)
  }
  await expect(carol.page.getByTestId('room-members')).toBeHidden()
})

/** Downloads the room message's image in `user`'s page, checks it whole, and returns where it came from. */
async function downloadWhole(
  user: DemoUser,
  mediaId: string,
  image: { name: string; width: number; height: number; sha256: string },
): Promise<string> {
  const received = user.roomMediaMessage(image.name)
  await received.getByTestId(`media-download-${mediaId}`).click()
  const status = received.getByTestId('media-status')
  await expect(status).toHaveAttribute('data-source', /^(peer|server)$/)
  await expect(received.getByTestId('media-progress-text')).toHaveText('100%')
  const full = received.getByTestId('media-image')
  await expect
    .poll(() => full.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]))
    .toEqual([image.width, image.height])
  expect(await user.sha256Of((await full.getAttribute('src'))!)).toBe(image.sha256)
  return (await status.getAttribute('data-source'))!
}
