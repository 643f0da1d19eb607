// @ts-check
/**
 * Signage never clips (docs/requirements.md#notices): notices are measured as
 * they render at the screen's real size and split into pages that each fit,
 * and a text too long for a whole page (or the full-screen emergency notice)
 * is scaled down through its `--fit` custom property until it fits. Measuring
 * beats guessing from character counts: Chinese and English wrap differently,
 * and the screens range from 1024×768 to portrait 1080×1920.
 */

/** Below this the type is too small to read across the hall; a page is then as full as it can be. */
const SMALLEST_FIT = 0.35
const FIT_STEP = 0.9

/**
 * Scales `el` down (its `--fit`) until `fits()` says yes, from full size.
 * @param {HTMLElement} el
 * @param {() => boolean} fits
 */
export function shrinkToFit(el, fits) {
  let scale = 1
  el.style.setProperty('--fit', '1')
  while (!fits() && scale > SMALLEST_FIT) {
    scale *= FIT_STEP
    el.style.setProperty('--fit', scale.toFixed(3))
  }
}

/**
 * Splits `nodes` (in order) into pages that fit `list`'s height. Every node is
 * shown while measuring; one taller than a page on its own is shrunk to fit.
 * The caller shows one page and hides the rest, in the same task, so nothing
 * is painted in between.
 * @param {HTMLElement} list the flex column the notices sit in, with a row gap
 * @param {readonly HTMLElement[]} nodes
 * @returns {HTMLElement[][]}
 */
export function paginate(list, nodes) {
  for (const node of nodes) node.hidden = false
  const available = list.clientHeight
  const gap = Number.parseFloat(getComputedStyle(list).rowGap) || 0
  /** @type {HTMLElement[][]} */
  const pages = []
  /** @type {HTMLElement[]} */
  let page = []
  let used = 0
  for (const node of nodes) {
    shrinkToFit(node, () => node.offsetHeight <= available)
    const height = node.offsetHeight
    const needed = page.length === 0 ? height : used + gap + height
    if (page.length > 0 && needed > available) {
      pages.push(page)
      page = [node]
      used = height
    } else {
      page.push(node)
      used = needed
    }
  }
  if (page.length > 0) pages.push(page)
  return pages
}

/**
 * Shows page `index` of `pages` and hides every other notice.
 * @param {readonly HTMLElement[][]} pages
 * @param {number} index
 */
export function showPage(pages, index) {
  pages.forEach((page, i) => {
    for (const node of page) node.hidden = i !== index
  })
}
