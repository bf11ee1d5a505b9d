import { deleteStoredFile, type ReceivedFile, saveFile } from '@ferry/client'

/** A received file as the page shows it: a URL for a preview, and how to save or delete it. */
export interface KeptFile {
  /** An object URL of the content, while the row shows it. */
  readonly url: string | undefined
  save(): void
  /** Deletes the stored copy and frees the URL. */
  remove(): Promise<void>
}

export function keepFile(file: ReceivedFile): KeptFile {
  const url = file.blob ? URL.createObjectURL(file.blob) : undefined
  return {
    url,
    save: () => saveFile(file),
    async remove() {
      if (url) URL.revokeObjectURL(url)
      if (file.id !== undefined) await deleteStoredFile(file.id)
    },
  }
}
