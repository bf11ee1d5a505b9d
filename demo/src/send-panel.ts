import { el } from './dom'
import { acceptFileDrops } from './file-drop'

export interface SendPanelActions {
  cmd(text: string): void
  /** A chat message: kept by the receiver's page, unlike a cmd. */
  text(text: string): void
  /** Files sent as chat messages: uploaded by id, downloaded by the receiver when they like. */
  media(files: File[]): void
  buffer(bytes: number): void
  files(files: File[]): void
}

const MIB = 1024 * 1024

/**
 * The ways to send to the picked user: a chat message (text, or an image or file sent by id), a cmd,
 * a buffer of a chosen size, and files sent directly.
 */
export class SendPanel {
  readonly element: HTMLElement
  private readonly title = el('h2', { testId: 'send-title', text: 'Pick someone to send to' })
  private readonly fieldsets: HTMLFieldSetElement[] = []
  readonly stopDrops: () => void

  constructor(private readonly actions: SendPanelActions) {
    const zone = this.fileZone()
    this.element = el('section', { className: 'card send' }, [
      this.title,
      this.chatForm(),
      this.cmdForm(),
      this.bufferForm(),
      zone,
    ])
    this.stopDrops = acceptFileDrops(zone, (files) => {
      if (!this.fieldsets[0]?.disabled) actions.files(files)
    })
    this.setPeer(undefined)
  }

  setPeer(peer: string | undefined): void {
    this.title.textContent = peer ? `Send to ${peer}` : 'Pick someone to send to'
    for (const fieldset of this.fieldsets) fieldset.disabled = peer === undefined
  }

  private fieldset(children: Node[]): HTMLFieldSetElement {
    const fieldset = el('fieldset', {}, children)
    this.fieldsets.push(fieldset)
    return fieldset
  }

  private chatForm(): HTMLFormElement {
    const input = el('input', {
      testId: 'text-message-input',
      attrs: { id: 'text-message-input', type: 'text', autocomplete: 'off', placeholder: 'Write a message' },
    })
    const media = el('input', {
      className: 'visually-hidden',
      testId: 'media-input',
      attrs: { id: 'media-input', type: 'file', multiple: '' },
    })
    media.addEventListener('change', () => {
      const files = [...(media.files ?? [])]
      media.value = ''
      if (files.length > 0) this.actions.media(files)
    })
    const form = el('form', {}, [
      this.fieldset([
        el('label', { text: 'Chat message', attrs: { for: 'text-message-input' } }),
        el('div', { className: 'row' }, [
          input,
          el('button', { className: 'primary', testId: 'text-message-send', text: 'Send', attrs: { type: 'submit' } }),
        ]),
        el('div', { className: 'row attach' }, [
          el('label', { className: 'button', text: 'Send image or file as message', attrs: { for: 'media-input' } }),
          media,
        ]),
        el('p', {
          className: 'hint',
          text: 'They download it when they like: from you, or from the server if it keeps media.',
        }),
      ]),
    ])
    form.addEventListener('submit', (event) => {
      event.preventDefault()
      if (!input.value) return
      this.actions.text(input.value)
      input.value = ''
    })
    return form
  }

  private cmdForm(): HTMLFormElement {
    const input = el('input', {
      testId: 'cmd-input',
      attrs: { id: 'cmd-input', type: 'text', autocomplete: 'off', placeholder: 'Say hello' },
    })
    const form = el('form', {}, [
      this.fieldset([
        el('label', { text: 'Cmd (a one-off text, not kept)', attrs: { for: 'cmd-input' } }),
        el('div', { className: 'row' }, [
          input,
          el('button', { className: 'primary', testId: 'cmd-send', text: 'Send', attrs: { type: 'submit' } }),
        ]),
      ]),
    ])
    form.addEventListener('submit', (event) => {
      event.preventDefault()
      if (!input.value) return
      this.actions.cmd(input.value)
      input.value = ''
    })
    return form
  }

  private bufferForm(): HTMLFormElement {
    const size = el('input', {
      testId: 'buffer-size',
      attrs: { id: 'buffer-size', type: 'number', min: '0.001', step: 'any', value: '8', inputmode: 'decimal' },
    })
    const form = el('form', {}, [
      this.fieldset([
        el('label', { text: 'Buffer of test bytes (MiB)', attrs: { for: 'buffer-size' } }),
        el('div', { className: 'row' }, [
          size,
          el('button', { testId: 'buffer-send', text: 'Send buffer', attrs: { type: 'submit' } }),
        ]),
      ]),
    ])
    form.addEventListener('submit', (event) => {
      event.preventDefault()
      const mib = size.valueAsNumber
      if (Number.isFinite(mib) && mib > 0) this.actions.buffer(Math.round(mib * MIB))
    })
    return form
  }

  private fileZone(): HTMLElement {
    const input = el('input', {
      className: 'visually-hidden',
      testId: 'file-input',
      attrs: { id: 'file-input', type: 'file', multiple: '' },
    })
    input.addEventListener('change', () => {
      const files = [...(input.files ?? [])]
      input.value = ''
      if (files.length > 0) this.actions.files(files)
    })
    return el('div', { className: 'drop-zone', testId: 'drop-zone' }, [
      this.fieldset([
        el('span', { text: 'Send files directly: drop them here, or ' }),
        el('label', { className: 'button', text: 'Choose files', attrs: { for: 'file-input' } }),
        input,
      ]),
    ])
  }
}
