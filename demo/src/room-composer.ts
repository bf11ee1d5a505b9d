import { el } from './dom'

export interface RoomComposerActions {
  /** A text to the picked room. */
  text(text: string): void
  /** Files sent to the picked room as image or file messages: uploaded once, downloaded by id. */
  media(files: File[]): void
}

/** The form that writes to the picked room: a text, or an image or file; off while no room is picked. */
export class RoomComposer {
  readonly element: HTMLFormElement
  private readonly title = el('label', { testId: 'room-send-title', attrs: { for: 'room-text-input' } })
  private readonly fieldset: HTMLFieldSetElement

  constructor(private readonly actions: RoomComposerActions) {
    const input = el('input', {
      testId: 'room-text-input',
      attrs: { id: 'room-text-input', type: 'text', autocomplete: 'off', placeholder: 'Write to the room' },
    })
    const media = el('input', {
      className: 'visually-hidden',
      testId: 'room-media-input',
      attrs: { id: 'room-media-input', type: 'file', multiple: '' },
    })
    media.addEventListener('change', () => {
      const files = [...(media.files ?? [])]
      media.value = ''
      if (files.length > 0) this.actions.media(files)
    })
    this.fieldset = el('fieldset', {}, [
      this.title,
      el('div', { className: 'row' }, [
        input,
        el('button', { className: 'primary', testId: 'room-text-send', text: 'Send', attrs: { type: 'submit' } }),
      ]),
      el('div', { className: 'row attach' }, [
        el('label', {
          className: 'button',
          text: 'Send image or file to the room',
          attrs: { for: 'room-media-input' },
        }),
        media,
      ]),
    ])
    this.element = el('form', { className: 'room-composer' }, [this.fieldset])
    this.element.addEventListener('submit', (event) => {
      event.preventDefault()
      if (!input.value) return
      this.actions.text(input.value)
      input.value = ''
    })
    this.setRoom(undefined)
  }

  setRoom(room: string | undefined): void {
    this.title.textContent = room ? `Message to ${room}` : 'Join a room to write to it'
    this.fieldset.disabled = room === undefined
  }
}
