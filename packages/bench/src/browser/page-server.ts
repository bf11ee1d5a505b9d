import { fileURLToPath } from 'node:url'
import { createServer } from 'vite'

/** The bench page's folder: only browser code is served. */
const PAGE_ROOT = fileURLToPath(new URL('./page/', import.meta.url))

export interface PageServer {
  /** The bench page's address. */
  url: string
  close(): Promise<void>
}

/**
 * Serves the bench page with Vite's dev server on 127.0.0.1 and a free port. The page imports
 * `@ferry/client` as any application would; Vite needs no config for it. No HMR: nothing here changes
 * during a run, and a reload would lose a page's state.
 */
export async function startPageServer(): Promise<PageServer> {
  const server = await createServer({
    configFile: false,
    root: PAGE_ROOT,
    logLevel: 'warn',
    clearScreen: false,
    server: { host: '127.0.0.1', port: 0, hmr: false, watch: null },
  })
  await server.listen()
  const url = server.resolvedUrls?.local[0]
  if (!url) {
    await server.close()
    throw new Error('the Vite server did not report its address')
  }
  return { url, close: () => server.close() }
}
