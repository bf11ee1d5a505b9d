import { FerryError, type FerryErrorCode } from '@ferry/protocol'

/** True for "no such file or directory". */
export function isMissing(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === 'ENOENT'
}

/** A file system error as a FerryError: `storage-full` when the disk or quota is full, else `code`. */
export function fsError(code: FerryErrorCode, err: unknown): FerryError {
  if (err instanceof FerryError) return err
  const message = err instanceof Error ? err.message : String(err)
  const errno = (err as NodeJS.ErrnoException | undefined)?.code
  return new FerryError(errno === 'ENOSPC' || errno === 'EDQUOT' ? 'storage-full' : code, message)
}
