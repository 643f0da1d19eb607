import { cleanDeviceString } from '../../devices/decoders/cleanDeviceString.js'
import type { LocalizedText } from '../core/alarm.js'

/** Longest area or services text: it is read on a signage screen. */
export const MAX_FAULT_TEXT = 120

/** A fault's id, as the centre names it: the same on the bridge's command topic and in the HTTP API. */
export const FAULT_ID_PATTERN = '^[A-Za-z0-9._-]{1,64}$'
/** Estimates further ahead than this are a mistake, not a plan. */
const MAX_ESTIMATE_MS = 31 * 24 * 3600 * 1000

/**
 * A text the same in both languages, or one per language (a language left out shows the other);
 * null when there is nothing to show.
 */
export function localized(value: unknown): LocalizedText | null {
  // it reaches signage, MQTT and the journal: cleaned like a device string (docs/rejected-input.md#cleaned-strings)
  const text = (raw: unknown, max: number) =>
    typeof raw === 'string' ? cleanDeviceString(raw, max).value.trim() || null : null
  if (typeof value === 'string') {
    const one = text(value, MAX_FAULT_TEXT)
    return one === null ? null : { 'zh-CN': one, en: one }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null
  const record = value as Record<string, unknown>
  if (Object.keys(record).some((k) => k !== 'zh-CN' && k !== 'en')) return null
  const zh = record['zh-CN'] === undefined ? null : text(record['zh-CN'], MAX_FAULT_TEXT)
  const en = record.en === undefined ? null : text(record.en, MAX_FAULT_TEXT)
  if (zh === null && en === null) return null
  return { 'zh-CN': zh ?? en ?? '', en: en ?? zh ?? '' }
}

/** Milliseconds, null when not given or null; undefined when unreadable, past by more than a minute, or too far ahead. */
export function estimate(value: unknown, now: number): number | null | undefined {
  if (value === undefined || value === null) return null
  if (typeof value !== 'string') return undefined
  const at = Date.parse(value)
  if (Number.isNaN(at) || at < now - 60_000 || at > now + MAX_ESTIMATE_MS) return undefined
  return at
}
