import type { Emitter, EventType } from 'mitt'
import * as mittModule from 'mitt'

type MittFactory = <Events extends Record<EventType, unknown>>() => Emitter<Events>

/**
 * mitt's typings describe a CommonJS module while bundlers and Node load its ES module, so under
 * NodeNext resolution the default export sits one level deeper in the types than at run time.
 */
const namespace = mittModule as unknown as { default: MittFactory | { default: MittFactory } }
export const createEmitter: MittFactory =
  typeof namespace.default === 'function' ? namespace.default : namespace.default.default

export type { Emitter }
