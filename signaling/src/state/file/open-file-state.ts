import { FerryError } from '@ferry/protocol'
import { describeError } from '../../describe-error.js'
import type { Logger } from '../../logger.js'
import type { ServerState } from '../server-state.js'
import { fileState } from './file-state.js'

/**
 * The server's file state in `dir`; a directory that cannot be made or opened (no permission, not a
 * directory, a database of another format) is an `invalid-argument` naming it.
 */
export function openFileState(dir: string, logger: Logger): ServerState {
  try {
    return fileState(dir, { logger })
  } catch (error) {
    throw new FerryError(
      'invalid-argument',
      `stateDir: cannot open a state database in ${dir}: ${describeError(error)}`,
    )
  }
}
