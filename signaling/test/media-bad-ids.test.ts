import assert from 'node:assert/strict'
import { readFile, rm, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import type { MediaHttpError } from '@ferry/protocol'
import { content, filesIn, newMediaId, startMediaServer, uploadRequest } from './media-client.js'

/** Sends `path` exactly as written: fetch would normalise `..` away before the server saw it. */
function raw(
  url: string,
  method: string,
  path: string,
  key: string,
  body?: Uint8Array,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/`, { method, path, headers: { authorization: `Bearer ${key}` } }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        text += chunk
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

test('ids that are not media ids, path traversal included, are refused without touching the disk', async (t) => {
  const { user, dir, server } = await startMediaServer(t)
  const alice = await user('alice')
  const outside = join(dirname(dir), `${newMediaId()}.json`)
  await writeFile(outside, 'outside the store')
  t.after(() => rm(outside, { force: true }))
  const name = outside.slice(dirname(dir).length + 1, -'.json'.length)

  const ids = [
    `..%2F${name}`,
    `..%2f..%2F${name}`,
    `../${name}`,
    '..',
    '.',
    '%2e%2e',
    newMediaId().slice(1),
    `${newMediaId()}A`,
    `${newMediaId().slice(0, 31)}.`,
    `${newMediaId().slice(0, 31)}%00`,
    `${newMediaId().slice(0, 30)}/x`,
  ]
  for (const id of ids) {
    for (const [method, path, body] of [
      ['POST', id, new TextEncoder().encode(JSON.stringify(uploadRequest(content(4))))],
      ['PUT', `${id}/content?offset=0`, content(4)],
      ['GET', `${id}/info`],
      ['GET', id],
      ['DELETE', id],
    ] as const) {
      const res = await raw(server.url, method, `/media/${path}`, alice.api.key ?? '', body)
      assert.ok(res.status === 400 || res.status === 404, `${method} ${path}: ${res.status}`)
      const { code } = JSON.parse(res.body) as MediaHttpError
      assert.ok(code === 'invalid-argument' || code === 'media-not-found', `${method} ${path}: ${code}`)
    }
  }
  assert.deepEqual(await filesIn(dir), [])
  assert.equal(await readFile(outside, 'utf8'), 'outside the store')
})

test('an id never uploaded is 404 media-not-found on every route', async (t) => {
  const { user, dir } = await startMediaServer(t)
  const alice = await user('alice')
  const id = newMediaId()
  for (const res of [
    await alice.api.info(id),
    await alice.api.download(id),
    await alice.api.download(id, 'bytes=5-'),
    await alice.api.put(id, 0, content(10)),
    await alice.api.delete(id),
  ]) {
    assert.equal(res.status, 404)
    assert.equal(((await res.json()) as MediaHttpError).code, 'media-not-found')
  }
  const unknownRoute = await alice.api.call('GET', `${id}/thumbnail`)
  assert.equal(unknownRoute.status, 404)
  await unknownRoute.body?.cancel()
  const wrongMethod = await alice.api.call('PATCH', id)
  assert.equal(wrongMethod.status, 405)
  assert.equal(wrongMethod.headers.get('allow'), 'GET, POST, DELETE')
  await wrongMethod.body?.cancel()
  assert.deepEqual(await filesIn(dir), [])
})
