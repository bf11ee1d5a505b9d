export interface ElementOptions {
  className?: string
  /** Becomes `data-testid`: the stable hook the end-to-end tests use. */
  testId?: string
  text?: string
  attrs?: Record<string, string>
}

/** Creates an element with classes, attributes and children in one call. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  options: ElementOptions = {},
  children: (Node | string)[] = [],
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag)
  if (options.className) node.className = options.className
  if (options.testId) node.dataset.testid = options.testId
  if (options.text !== undefined) node.textContent = options.text
  for (const [name, value] of Object.entries(options.attrs ?? {})) node.setAttribute(name, value)
  node.append(...children)
  return node
}

export function button(label: string, onClick: () => void, options: ElementOptions = {}): HTMLButtonElement {
  const node = el('button', { ...options, text: label, attrs: { type: 'button', ...options.attrs } })
  node.addEventListener('click', onClick)
  return node
}
