import {
  type FerryClient,
  type FerryEvents,
  listStoredFiles,
  loadStoredFile,
  type ReceivedFile,
  type Task,
} from '@ferry/client'
import { button, el } from './dom'
import { describeError, errorText } from './error-text'
import { keepFile } from './received-file'
import { TransferRow } from './transfer-row'

/** Every buffer and file transfer since login, both ways, newest first. */
export class TransfersView {
  readonly element: HTMLElement
  private readonly list = el('ul', { className: 'transfers', testId: 'transfers' })
  private readonly empty = el('p', { className: 'muted', testId: 'no-transfers', text: 'No transfers yet.' })
  /** Outgoing rows by task id. */
  private readonly outgoing = new Map<string, TransferRow>()
  /** Incoming rows by sender and task id (ids are per sender). */
  private readonly incoming = new Map<string, TransferRow>()
  /** Ids of the stored files that have a row. */
  private readonly shown = new Set<string>()

  constructor(private readonly client: FerryClient) {
    this.element = el('section', { className: 'card' }, [el('h2', { text: 'Transfers' }), this.empty, this.list])
    client.on('progress', ({ taskId, sent }) => this.outgoing.get(taskId)?.progress(sent))
    client.on('receive-start', (event) => this.onReceiveStart(event))
    client.on('receive-progress', ({ from, taskId, received }) =>
      this.incoming.get(key(from, taskId))?.progress(received),
    )
    client.on('receive-failed', ({ from, taskId, code }) => {
      this.incoming.get(key(from, taskId))?.fail(errorText(code, from))
      this.incoming.delete(key(from, taskId))
    })
    client.on('buffer', ({ from, taskId }) => {
      this.incoming.get(key(from, taskId))?.succeed('Received')
      this.incoming.delete(key(from, taskId))
    })
    client.on('file', ({ from, taskId, file }) => this.onFile(from, taskId, file))
    this.restore().catch(() => {})
  }

  sendFile(to: string, file: File): void {
    this.track(this.client.sendFile(to, file), file.name || 'Unnamed file', file.size)
  }

  sendBuffer(to: string, size: number): void {
    this.track(this.client.sendBuffer(to, testBytes(size)), 'Buffer', size)
  }

  private track(task: Task, title: string, total: number): void {
    const row: TransferRow = this.add({
      testId: `transfer-${task.id}`,
      direction: 'out',
      title,
      peer: task.to,
      total,
      waiting: `Waiting for ${task.to}`,
      moving: 'Sending',
      onCancel: () => this.client.cancelSend(task.id),
      onDismiss: () => this.remove(row),
    })
    this.outgoing.set(task.id, row)
    task.done.then(
      () => row.succeed('Done'),
      (error: unknown) => row.fail(describeError(error, task.to)),
    )
    task.done.finally(() => this.outgoing.delete(task.id)).catch(() => {})
  }

  private onReceiveStart(event: FerryEvents['receive-start']): void {
    const { from, taskId } = event
    const row: TransferRow = this.add({
      testId: `incoming-${from}-${taskId}`,
      direction: 'in',
      title: event.kind === 'buffer' ? 'Buffer' : event.name || 'Unnamed file',
      peer: from,
      total: event.size,
      waiting: 'Starting',
      moving: 'Receiving',
      onCancel: () => this.client.cancelReceive(from, taskId),
      onDismiss: () => this.remove(row),
    })
    this.incoming.set(key(from, taskId), row)
  }

  private onFile(from: string, taskId: string, file: ReceivedFile): void {
    const row = this.incoming.get(key(from, taskId))
    this.incoming.delete(key(from, taskId))
    if (row) this.showFile(row, file, 'Received')
  }

  /** Lists the files kept in this browser by earlier visits, so they can be saved or deleted. */
  private async restore(): Promise<void> {
    for (const meta of await listStoredFiles({ to: this.client.userId ?? '' })) {
      if (this.shown.has(meta.id)) continue
      const file = await loadStoredFile(meta.id)
      if (!file) continue
      const row: TransferRow = this.add({
        testId: `stored-${meta.id}`,
        direction: 'in',
        title: file.name || 'Unnamed file',
        peer: meta.from,
        total: file.size,
        waiting: '',
        moving: '',
        onCancel: () => {},
        onDismiss: () => this.remove(row),
      })
      this.showFile(row, file, 'Kept from an earlier visit', false)
    }
  }

  private showFile(row: TransferRow, file: ReceivedFile, status: string, timed = true): void {
    if (file.id !== undefined) this.shown.add(file.id)
    const kept = keepFile(file)
    const save = button('Save', () => kept.save(), { className: 'primary', testId: 'save' })
    const remove = button(
      'Delete',
      () => {
        remove.disabled = true
        kept.remove().then(
          () => this.remove(row),
          () => {
            remove.disabled = false
            row.note('Could not delete the file')
          },
        )
      },
      { testId: 'delete' },
    )
    row.succeed(status, [save, remove], timed)
    if (kept.url && file.mime.startsWith('image/')) row.preview(kept.url, file.name)
  }

  private remove(row: TransferRow): void {
    row.element.remove()
    this.empty.hidden = this.list.childElementCount > 0
  }

  private add(options: ConstructorParameters<typeof TransferRow>[0]): TransferRow {
    const row = new TransferRow(options)
    this.list.prepend(row.element)
    this.empty.hidden = true
    return row
  }
}

/** Bytes 0, 1, …, 255, 0, 1, …: cheap to make at any size, easy to check by eye. */
function testBytes(size: number): Uint8Array {
  const bytes = new Uint8Array(size)
  for (let i = 0; i < Math.min(size, 256); i++) bytes[i] = i
  for (let filled = 256; filled < size; filled *= 2) bytes.copyWithin(filled, 0, filled)
  return bytes
}

function key(from: string, taskId: string): string {
  return `${from}\n${taskId}`
}
