import { FerryError } from '@ferry/protocol'

/** Why a media task's signal was aborted: the FerryError it was aborted with (cancelled, idle-timeout, ...). */
export function abortReason(signal: AbortSignal): FerryError {
  return signal.reason instanceof FerryError ? signal.reason : new FerryError('cancelled', 'cancelled')
}

/** Throws the abort reason when the signal is aborted, so long work stops between steps. */
export function checkAborted(signal: AbortSignal): void {
  if (signal.aborted) throw abortReason(signal)
}
