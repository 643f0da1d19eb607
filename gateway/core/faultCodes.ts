import type { LocalizedText } from './alarm.js'

/**
 * What a self-service terminal's fault codes (`fault_codes`, devices/types/terminal.ts) mean, as
 * staff call the part. Here in core so the terminal rule's texts and the labels the pages and
 * notifications show (gateway/channels/labels.ts) read the one table.
 */
export const FAULT_CODE_LABELS: Readonly<Record<string, LocalizedText>> = {
  printer: { 'zh-CN': '打印机', en: 'printer' },
  card_reader: { 'zh-CN': '读卡器', en: 'card reader' },
  cash_module: { 'zh-CN': '现金模块', en: 'cash module' },
  screen: { 'zh-CN': '屏幕', en: 'screen' },
  network: { 'zh-CN': '网络', en: 'network' },
}
