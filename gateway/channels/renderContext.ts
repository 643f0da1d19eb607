import { type ZoneNames, zoneName } from '../core/zoneNames.js'
import { KIND_LABELS, type Locale, TEXT } from './labels.js'
import type { Fact, MessageLink } from './message.js'

/** Staff console sections a message links to. */
export type ConsoleSection = 'alarms' | 'tickets' | 'notices' | 'reports'

/** What every renderer needs to know of the store and its console. */
export interface Ctx {
  readonly locale: Locale
  readonly timeZone: string
  readonly consoleUrl: string | null
  readonly storeName: string | null
  readonly deviceNames: Readonly<Record<string, string>>
  readonly zoneNames: ZoneNames
}

/** The console page of one alarm, ticket or notice: `<base>/alarms/<id>`. */
export function consoleLink(base: string, section: ConsoleSection, id?: string): string {
  const root = `${base.replace(/\/+$/, '')}/${section}`
  return id === undefined ? root : `${root}/${encodeURIComponent(id)}`
}

export function fact(label: { readonly 'zh-CN': string; readonly en: string }, value: string, locale: Locale): Fact {
  return { label: label[locale], value }
}

/** `一楼烟感（smoke-1）` / `Hall smoke detector (smoke-1)`, or the bare id when the config names none. */
export function device(ctx: Ctx, id: string): string {
  const name = ctx.deviceNames[id]
  if (name === undefined || name === id) return id
  return ctx.locale === 'zh-CN' ? `${name}（${id}）` : `${name} (${id})`
}

/** What a ticket is about: its device as `device` names it, or what staff wrote for a hand-opened one (docs/requirements.md#hand-opened-tickets). */
export function ticketSubject(
  ctx: Ctx,
  ticket: { readonly deviceId: string | null; readonly facility: string | null; readonly id: string },
): string {
  return ticket.deviceId === null ? (ticket.facility ?? ticket.id) : device(ctx, ticket.deviceId)
}

/** `营业厅` / `Sales hall` (config `zones`), or the bare id of a zone not listed: it sits under a "区域 / Zone" label or in a fact list. */
export function zone(ctx: Ctx, id: string): string {
  return zoneName(ctx.zoneNames, id)[ctx.locale]
}

export function storeFact(ctx: Ctx): Fact[] {
  return ctx.storeName === null ? [] : [fact(TEXT.store, ctx.storeName, ctx.locale)]
}

export function storeValue(ctx: Ctx): string[] {
  return ctx.storeName === null ? [] : [ctx.storeName]
}

export function link(ctx: Ctx, section: ConsoleSection, id?: string): MessageLink | null {
  if (ctx.consoleUrl === null) return null
  return { label: TEXT.console[ctx.locale], url: consoleLink(ctx.consoleUrl, section, id) }
}

/** `by` is a user name, or `rule:<id>` / `gateway:<job>` for the machine: only people are shown. */
export function isPerson(by: string): boolean {
  return by !== '' && !/^(rule|gateway|system):/.test(by)
}

export function kindLabel(kind: string, locale: Locale): string {
  const labels = KIND_LABELS as Readonly<Record<string, { readonly 'zh-CN': string; readonly en: string }>>
  return labels[kind]?.[locale] ?? kind
}
