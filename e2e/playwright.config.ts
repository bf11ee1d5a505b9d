import { defineConfig } from '@playwright/test'

/** Debian's Chromium unless told otherwise: Playwright's own browser downloads do not work here. */
const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium'

const CHROMIUM_ARGS = [
  // WebRTC over 127.0.0.1 inside a loopback-only network namespace.
  '--allow-loopback-in-peer-connection',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  // Root in a container, no GPU, and a closed network that refuses Chromium's own background traffic.
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  // Two browser contexts per test already keep both cores busy.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  timeout: 60_000,
  expect: { timeout: 20_000 },
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    headless: true,
    screenshot: 'only-on-failure',
    trace: 'off',
    video: 'off',
    // Chromium offers host (127.0.0.1) candidates only to pages allowed to use the camera or microphone.
    permissions: ['camera', 'microphone'],
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
  },
  projects: [{ name: 'chromium' }],
})
