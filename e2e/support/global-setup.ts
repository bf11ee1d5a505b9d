import { createSignalingServer } from '@ferry/signaling'
import { type DemoPage, startDemoPage } from './demo-server'

/**
 * The relay's per-user rate in these tests: slow enough that a person's click on Cancel lands while a
 * relayed file of 128 MiB is still under way (about 8 s), fast enough to keep the relay specs short.
 * Each client paces itself to the rate the server announces, so this is what relayed transfers get.
 */
const RELAY_BYTES_PER_SECOND = 16 * 1024 * 1024

/**
 * Starts the signaling server (with its defaults otherwise: relay on, a media store in a temporary
 * directory) and the demo's Vite dev server on free ports, once for the whole run, and tells the tests
 * where the page is (FERRY_DEMO_URL). The returned function stops both.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const signaling = await createSignalingServer({ port: 0, relayBytesPerSecond: RELAY_BYTES_PER_SECOND })
  let demo: DemoPage
  try {
    demo = await startDemoPage(signaling.url, '.vite-e2e')
  } catch (error) {
    await signaling.close()
    throw error
  }
  process.env.FERRY_DEMO_URL = demo.url
  return async () => {
    await demo.close()
    await signaling.close()
  }
}
