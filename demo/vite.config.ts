import { createLogger, defineConfig, type LogLevel } from 'vite'

/** Where the dev server forwards Socket.IO and the media store, so the page talks to its own origin. */
const signalingUrl = process.env.FERRY_SIGNALING_URL ?? 'http://127.0.0.1:8787'

/** 0 lets the system pick a free port (the e2e tests do); anything else must be free, or startup fails. */
const port = Number(process.env.FERRY_DEMO_PORT ?? 5173)

/** Socket errors that only mean a tab closed while its Socket.IO connection was forwarded. */
const CLOSED_TAB_CODES = new Set(['ECONNRESET', 'EPIPE'])

/** `npm start` sets `warn`, so its own line is the one that says where the page is. */
const logLevel = (process.env.FERRY_DEMO_LOG_LEVEL as LogLevel | undefined) ?? 'info'

const logger = createLogger(logLevel)
const logError = logger.error
logger.error = (message, options) => {
  const code = (options?.error as NodeJS.ErrnoException | null | undefined)?.code
  if (code && CLOSED_TAB_CODES.has(code)) return
  logError(message, options)
}

/**
 * The client's browser dependencies, pre-bundled when the server starts. Left to discovery, a cold
 * cache (a fresh clone) re-bundles them after the first page load and reloads the page: a second tab
 * opened meanwhile gets stale modules, and with HMR off (the e2e servers) it never recovers.
 */
const BROWSER_DEPENDENCIES = [
  'hash-wasm',
  'idb-keyval',
  'image-size',
  'mitt',
  'simple-peer/simplepeer.min.js',
  'socket.io-client',
]

export default defineConfig({
  customLogger: logger,
  logLevel,
  optimizeDeps: { include: BROWSER_DEPENDENCIES },
  server: {
    host: '127.0.0.1',
    port,
    strictPort: true,
    proxy: {
      '/socket.io': { target: signalingUrl, ws: true },
      // The server's media store (MEDIA_HTTP_PREFIX): uploads and downloads of media by id.
      '/media/': { target: signalingUrl },
    },
  },
  preview: { host: '127.0.0.1' },
})
