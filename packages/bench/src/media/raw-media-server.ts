import { createReadStream, createWriteStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'

/** Names the raw store takes: no dots or slashes, so a name never leaves its directory. */
const NAME = /^\/([a-z0-9-]{1,64})$/

/**
 * The raw baseline's server: the least an HTTP media store can do. PUT /name streams the body to
 * `dir/name`; GET /name streams that file back with its length. No auth, no pieces, no hashing, no
 * record: the floor Ferry's `/media/` routes are compared with.
 */
export async function startRawMediaServer(dir: string): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    serve(dir, req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error))
      else res.destroy()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

async function serve(dir: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const name = NAME.exec(req.url ?? '')?.[1]
  if (name === undefined) {
    res.writeHead(404).end()
    return
  }
  const path = join(dir, name)
  if (req.method === 'PUT') {
    await pipeline(req, createWriteStream(path))
    res.writeHead(204).end()
  } else if (req.method === 'GET') {
    const { size } = await stat(path)
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size })
    await pipeline(createReadStream(path), res)
  } else {
    res.writeHead(405).end()
  }
}
