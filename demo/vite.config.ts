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
 * The client's simple-peer build (its `#simple-peer` import), pre-bundled when the server starts. The
 * dependency scan does not follow that import, so a cold cache (a fresh clone) would bundle it after the
 * first page load and reload the page: a tab opened meanwhile gets stale modules, and with HMR off (the
 * e2e servers) it never recovers. It is a dev dependency of the demo so that this name resolves here.
 */
const LATE_DEPENDENCIES = ['simple-peer/simplepeer.min.js']

export default defineConfig({
  customLogger: logger,
  logLevel,
  optimizeDeps: { include: LATE_DEPENDENCIES },
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
