import { el } from './dom'

export interface LoginViewOptions {
  /** Shown above the form, e.g. why the user was logged out. */
  message?: string
  /** Logs in; resolves with what went wrong, or undefined once logged in. */
  login(name: string): Promise<string | undefined>
}

export function loginView(options: LoginViewOptions): HTMLElement {
  const name = el('input', {
    testId: 'login-name',
    attrs: { id: 'login-name', type: 'text', autocomplete: 'off', required: '', maxlength: '64', placeholder: 'alice' },
  })
  const submit = el('button', {
    className: 'primary',
    testId: 'login-button',
    text: 'Log in',
    attrs: { type: 'submit' },
  })
  const error = el('p', { className: 'form-error', testId: 'login-error', attrs: { role: 'alert' } })
  error.textContent = options.message ?? ''

  const form = el('form', { className: 'card login' }, [
    el('h1', { text: 'Ferry' }),
    el('p', {
      className: 'muted',
      text: 'Send messages and files straight to another browser. Pick a name, then open this page in a second tab with another one.',
    }),
    el('label', { text: 'Your name', attrs: { for: 'login-name' } }),
    el('div', { className: 'row' }, [name, submit]),
    el('p', { className: 'hint', text: 'Letters, digits and _ . @ : - (up to 64).' }),
    error,
  ])
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    const wanted = name.value.trim()
    if (!wanted) return
    submit.disabled = true
    error.textContent = ''
    const problem = await options.login(wanted)
    if (problem === undefined) return
    error.textContent = problem
    submit.disabled = false
    name.focus()
  })
  queueMicrotask(() => name.focus())
  return form
}
