import { storeClockFields } from '../core/storeClock.js'
import { colon, type Locale } from './labels.js'

/** One labelled fact line: `区域：一楼大厅` / `Zone: hall`. */
export interface Fact {
  readonly label: string
  readonly value: string
}

export interface MessageLink {
  readonly label: string
  readonly url: string
}

/** What an event renderer decides; {@link composeMessage} lays it out for each channel. */
export interface MessageParts {
  readonly locale: Locale
  readonly title: string
  /** The alarm message / notice text / ticket reason; null when there is none. */
  readonly summary: string | null
  readonly facts: readonly Fact[]
  readonly checklistTitle: string
  /** Emergency-plan steps, in order, not yet numbered. */
  readonly checklist: readonly string[]
  readonly notes: readonly string[]
  readonly link: MessageLink | null
  /** Robbery (docs/requirements.md#robbery): a silent alarm's text is for security channels only. */
  readonly confidential: boolean
  /** The few fact values worth an SMS (store, zone, device, time). */
  readonly shortFacts: readonly string[]
}

/**
 * A notification rendered for people, in one locale. Plain data: the outbox
 * stores it as the payload of IM and SMS channels, so a retry hours later
 * sends the text as it was when the event happened.
 */
export interface RenderedMessage extends Omit<MessageParts, 'shortFacts'> {
  /** Plain text, one fact per line, numbered checklist, link last. */
  readonly text: string
  /** Markdown in the subset WeCom and DingTalk robots both render. */
  readonly markdown: string
  /** One paragraph for SMS: title, summary, key facts, link; no checklist. */
  readonly short: string
}

export function composeMessage(parts: MessageParts): RenderedMessage {
  const { shortFacts, ...rest } = parts
  return { ...rest, text: plainText(parts), markdown: markdown(parts), short: shortText(parts) }
}

function numbered(steps: readonly string[]): string[] {
  return steps.map((step, i) => `${i + 1}. ${step}`)
}

function plainText(p: MessageParts): string {
  const sep = colon(p.locale)
  const lines = [p.title]
  if (p.summary !== null) lines.push(p.summary)
  for (const f of p.facts) lines.push(`${f.label}${sep}${f.value}`)
  if (p.checklist.length > 0) lines.push(`${p.checklistTitle}${sep.trimEnd()}`, ...numbered(p.checklist))
  lines.push(...p.notes)
  if (p.link !== null) lines.push(`${p.link.label}${sep}${p.link.url}`)
  return lines.join('\n')
}

function markdown(p: MessageParts): string {
  const sep = colon(p.locale)
  const blocks = [`### ${p.title}`]
  const head = [
    ...(p.summary === null ? [] : [`**${p.summary}**`]),
    ...p.facts.map((f) => `${f.label}${sep}${f.value}`),
  ]
  // Two trailing spaces: a Markdown hard line break, which DingTalk needs and WeCom ignores.
  if (head.length > 0) blocks.push(head.join('  \n'))
  if (p.checklist.length > 0) blocks.push([`**${p.checklistTitle}**`, ...numbered(p.checklist)].join('\n'))
  for (const note of p.notes) blocks.push(`> ${note}`)
  if (p.link !== null) blocks.push(`[${p.link.label}](${p.link.url})`)
  return blocks.join('\n\n')
}

function shortText(p: MessageParts): string {
  const zh = p.locale === 'zh-CN'
  let text = p.title
  if (p.summary !== null) text += `${colon(p.locale)}${p.summary}`
  if (p.shortFacts.length > 0) text += zh ? `（${p.shortFacts.join('，')}）` : ` (${p.shortFacts.join(', ')})`
  if (p.link !== null) text += ` ${p.link.url}`
  return text
}

/** The outbox hands channels `unknown`; this checks a payload is a {@link RenderedMessage}. */
export function isRenderedMessage(value: unknown): value is RenderedMessage {
  if (value === null || typeof value !== 'object') return false
  const m = value as Record<string, unknown>
  return (
    (m.locale === 'zh-CN' || m.locale === 'en') &&
    typeof m.title === 'string' &&
    typeof m.text === 'string' &&
    typeof m.markdown === 'string' &&
    typeof m.short === 'string' &&
    typeof m.confidential === 'boolean' &&
    Array.isArray(m.facts) &&
    Array.isArray(m.checklist) &&
    Array.isArray(m.notes)
  )
}

/**
 * `YYYY-MM-DD HH:mm:ss` in the store's time zone (config `store.timeZone`),
 * whatever the host's zone is. An unreadable timestamp is returned unchanged.
 */
export function formatLocalTime(iso: string, timeZone: string): string {
  const ms = Date.parse(iso)
  if (Number.isNaN(ms)) return iso
  const { year, month, day, hour, minute, second } = storeClockFields(ms, timeZone)
  const two = (n: number) => String(n).padStart(2, '0')
  return `${year}-${two(month)}-${two(day)} ${hour}:${minute}:${second}`
}

/** Cuts text to at most maxBytes of UTF-8, on a character boundary, marking the cut with `…`. */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text
  const ellipsis = '…'
  let budget = maxBytes - Buffer.byteLength(ellipsis, 'utf8')
  let out = ''
  for (const ch of text) {
    budget -= Buffer.byteLength(ch, 'utf8')
    if (budget < 0) break
    out += ch
  }
  return out + ellipsis
}
