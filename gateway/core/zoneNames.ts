import type { LocalizedText } from './alarm.js'

/** Zone id → what staff call it in each language (config `zones`, docs/requirements.md#console). */
export type ZoneNames = Readonly<Record<string, LocalizedText>>

/**
 * The zone's name, or its id in both languages when the config does not list it: for a
 * field already labelled "区域 / Zone", where a bare id reads fine.
 */
export function zoneName(names: ZoneNames, zone: string): LocalizedText {
  return Object.hasOwn(names, zone) ? (names[zone] as LocalizedText) : { 'zh-CN': zone, en: zone }
}

/**
 * How a sentence names the zone: `营业厅` / `Sales hall`, or for an unlisted zone
 * `hall 区` / `zone hall`, since a bare id such as `hall` reads as a zone only when marked as one.
 */
export function zoneInText(names: ZoneNames, zone: string): LocalizedText {
  return Object.hasOwn(names, zone) ? (names[zone] as LocalizedText) : { 'zh-CN': `${zone} 区`, en: `zone ${zone}` }
}
