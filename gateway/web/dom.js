// @ts-check
/**
 * DOM building without innerHTML: alarm messages, device names and notices
 * come from config files and devices, so every string goes in as a text node.
 */

/** @typedef {import('./types.js').Child} Child */
/**
 * What a render function returns: a node, or a list of them with the skipped ones still in.
 * @typedef {Node | readonly (Node | string | false | null | undefined)[]} Content
 */

/**
 * `h('button', { type: 'button', class: 'x', dataset: { action: 'ack' }, onclick }, 'Text')`.
 * Props: `class`, `text`, `dataset`, `on<event>` handlers, DOM properties
 * that are not attributes (`value`, `checked`), everything else an attribute.
 * `null`, `undefined` and `false` props and children are skipped.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Readonly<Record<string, unknown>>} [props]
 * @param {Child[]} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag)
  for (const [name, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue
    if (name === 'class') el.className = String(value)
    else if (name === 'text') el.textContent = String(value)
    else if (name === 'dataset') Object.assign(el.dataset, value)
    else if (name.startsWith('on')) el.addEventListener(name.slice(2), /** @type {EventListener} */ (value))
    else if (name === 'value' || name === 'checked' || name === 'selected') Object.assign(el, { [name]: value })
    else el.setAttribute(name, value === true ? '' : String(value))
  }
  append(el, children)
  return el
}

/**
 * @param {Element} el
 * @param {readonly Child[]} children
 */
function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue
    if (Array.isArray(child)) append(el, child)
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)))
  }
}

/**
 * Sets an attribute only when it differs, so mutation observers and screen readers see real changes only.
 * @param {Element} el
 * @param {string} name
 * @param {string} value
 */
export function setAttr(el, name, value) {
  const text = String(value)
  if (el.getAttribute(name) !== text) el.setAttribute(name, text)
}

/**
 * @param {Node} el
 * @param {string} text
 */
export function setText(el, text) {
  const value = String(text)
  if (el.textContent !== value) el.textContent = value
}

/**
 * Re-renders `node`'s content with `render()` only when `signature` (a JSON
 * string of everything the content depends on) changed since last time. A
 * snapshot arrives every few seconds; rebuilding unchanged nodes would make
 * the aria-live list re-announce everything and lose focus and typed text.
 * @param {Element} node
 * @param {string} signature
 * @param {() => Content} render
 * @returns {boolean}
 */
export function renderIfChanged(node, signature, render) {
  if (node.sgSignature === signature) return false
  node.sgSignature = signature
  replaceChildrenKeepingFocus(node, render())
  return true
}

/**
 * Replaces `parent`'s children; if focus was on a field marked `data-field`
 * inside it, the field of the same name in the new content gets focus back
 * with its caret, so a staff member typing a note is not interrupted.
 * @param {Element} parent
 * @param {Content} children
 */
export function replaceChildrenKeepingFocus(parent, children) {
  const active = document.activeElement
  const field = active && parent.contains(active) ? active.getAttribute('data-field') : null
  // only text fields have a caret (`selectionStart`)
  const text = active instanceof HTMLInputElement || active instanceof HTMLTextAreaElement ? active : null
  /** @type {[number | null, number | null] | null} */
  const selection = field && text ? [text.selectionStart, text.selectionEnd] : null
  const nodes = children instanceof Node ? [children] : children.filter(isShown)
  parent.replaceChildren(...nodes)
  if (!field) return
  const again = /** @type {HTMLElement & Partial<HTMLInputElement> | null} */ (
    parent.querySelector(`[data-field="${field}"]`)
  )
  if (!again) return
  again.focus()
  if (selection && typeof again.setSelectionRange === 'function') {
    try {
      again.setSelectionRange(selection[0], selection[1])
    } catch {
      // <select> and some input types have no caret; focus alone is enough.
    }
  }
}

/**
 * Whether an entry of a rendered list is shown: `false`, null, undefined and '' are not.
 * @param {Node | string | false | null | undefined} child
 * @returns {child is Node | string}
 */
function isShown(child) {
  return Boolean(child)
}

/**
 * Keyed list update: `items` in order, `key(item)` a stable id, `upsert(node,
 * item)` returns the node for the item (given the previous one, or null for a
 * new item). Unchanged nodes stay in the document (they are not even moved
 * when already in place), removed items' nodes go.
 * @template T
 * @param {Element} container
 * @param {readonly T[]} items
 * @param {(item: T) => string} key
 * @param {(node: Element | null, item: T) => Element} upsert
 */
export function reconcile(container, items, key, upsert) {
  const previous = container.sgNodes ?? new Map()
  const next = new Map()
  const ordered = []
  for (const item of items) {
    const id = key(item)
    const old = previous.get(id) ?? null
    const node = upsert(old, item)
    if (old && old !== node) old.remove()
    next.set(id, node)
    ordered.push(node)
  }
  for (const [id, node] of previous) if (!next.has(id)) node.remove()
  ordered.forEach((node, index) => {
    const at = container.children[index]
    if (at !== node) container.insertBefore(node, at ?? null)
  })
  container.sgNodes = next
}

/**
 * Replaces a select's options only when they changed, keeping the choice if it is still offered.
 * @param {HTMLSelectElement} select
 * @param {readonly [string, string][]} entries value and text
 */
export function setOptions(select, entries) {
  const chosen = select.value
  renderIfChanged(select, JSON.stringify(entries), () => entries.map(([value, text]) => h('option', { value, text })))
  if (entries.some(([value]) => value === chosen)) select.value = chosen
}
