import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Cleanup } from './contracts/store-factory.js'

/** A fresh directory for a state database; `t.after` removes it (after what closes the database). */
export async function stateDir(t: Cleanup): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-state-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  return dir
}
