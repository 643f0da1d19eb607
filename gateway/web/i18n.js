// @ts-check
/**
 * Labels for the staff console, in Chinese and English. The names of kinds,
 * severities, states, statuses, roles, device types and the field names come
 * from the gateway (`labels.js`, made from gateway/channels/labels.ts), so a
 * WeCom message and the console call a thing by the same name; this file has
 * only the phrases the console alone uses.
 */
import { TEXT as SHARED } from './labels.js'

/** @typedef {import('./types.js').Lang} Lang */
/** @typedef {import('./types.js').LocalizedText} LocalizedText */

export {
  CONDITION_LABELS,
  DEVICE_STATE_LABELS,
  DEVICE_TYPE_LABELS,
  FAULT_CODE_LABELS,
  KIND_LABELS,
  METRIC_LABELS,
  ROLE_LABELS,
  SEVERITY_LABELS,
  STATE_LABELS,
  TICKET_STATUS_LABELS,
} from './labels.js'

/**
 * The console's languages; zh-CN is the default (a Chinese store: staff read Chinese first).
 * @type {readonly Lang[]}
 */
export const LANGS = ['zh-CN', 'en']

/** @type {(zh: string, en: string) => LocalizedText} */
const t = (zh, en) => ({ 'zh-CN': zh, en })

/** Fixed phrases of the console, and the field names it shares with the notifications. */
export const TEXT = {
  zone: SHARED.zone,
  device: SHARED.device,
  kind: SHARED.kind,
  note: SHARED.note,
  severity: SHARED.severity,
  status: SHARED.status,
  raisedAt: SHARED.raisedAt,
  checklist: SHARED.checklist,
  shelvedUntil: SHARED.shelvedUntil,
  escalationLevel: SHARED.escalationLevel,
  faultCodes: SHARED.faultCodes,
  dueAt: SHARED.dueAt,
  overdue: SHARED.overdue,
  assignee: SHARED.assignee,
  yes: SHARED.yes,
  no: SHARED.no,
  resetWaits: SHARED.resetWaits,
  conditionActive: SHARED.conditionActive,
  managerReset: SHARED.managerReset,
  closesItself: SHARED.closesItself,
  reading: SHARED.reading,
  appTitle: t('StoreGuard 值班台', 'StoreGuard staff console'),
  signInHeading: t('登录值班台', 'Sign in to the staff console'),
  tokenLabel: t('访问令牌', 'Access token'),
  tokenHint: t(
    '令牌仅保存在本标签页中，关闭后需重新登录。',
    'The token is kept in this tab only; sign in again after closing it.',
  ),
  signIn: t('登录', 'Sign in'),
  signingIn: t('正在登录…', 'Signing in…'),
  signOut: t('退出登录', 'Sign out'),
  tokenRequired: t('请输入访问令牌。', 'Enter your access token.'),
  wrongToken: t('令牌无效，请检查后重试。', 'That token is not valid. Check it and try again.'),
  sessionEnded: t('登录已失效，请重新登录。', 'Your session has ended. Please sign in again.'),
  // The button names the language it switches to, in that language.
  switchTo: t('English', '中文'),
  switchToLang: t('en', 'zh-CN'),
  connection: t('连接状态', 'Connection'),
  live: t('实时', 'Live'),
  reconnecting: t('正在重连…', 'Reconnecting…'),
  offline: t('未连接', 'Offline'),
  connecting: t('正在连接…', 'Connecting…'),
  reconnectBanner: t(
    '连接中断，正在重连…以下内容可能不是最新的。',
    'Connection lost, reconnecting… What you see may be out of date.',
  ),
  alarms: t('告警', 'Alarms'),
  devices: t('设备', 'Devices'),
  tickets: t('报修单', 'Repair tickets'),
  notices: t('公告', 'Notices'),
  noAlarms: t('当前没有未处理的告警。', 'No open alarms.'),
  noDevices: t('没有设备。', 'No devices.'),
  noTickets: t('没有待修的报修单。', 'No tickets waiting for a repair.'),
  noNotices: t('当前没有公告。', 'No active notices.'),
  waiting: t('等待数据…', 'Waiting for data…'),
  chattering: t('频繁抖动，已抑制', 'Chattering, suppressed'),
  confidential: t('保密', 'Confidential'),
  // Not the notifications' TEXT.confidentialNote: the card shows its own 保密 tag beside it.
  confidentialNote: t(
    '静默报警，仅限安保人员处置；请勿在顾客可见的屏幕、广播或语音设备上显示或播报。',
    'Silent alarm for security staff only; do not show or announce it on any customer-facing screen, speaker or voice device.',
  ),
  ack: t('确认', 'Acknowledge'),
  reset: t('复位', 'Reset'),
  shelve: t('搁置', 'Shelve'),
  cancel: t('取消', 'Cancel'),
  confirmReset: t('确认复位', 'Confirm reset'),
  confirmShelve: t('确认搁置', 'Confirm shelve'),
  resetNoteLabel: t('复位备注（必填）', 'Reset note (required)'),
  shelveReasonLabel: t('搁置原因', 'Reason for shelving'),
  shelveDurationLabel: t('搁置时长', 'Shelve for'),
  min15: t('15 分钟', '15 minutes'),
  hour1: t('1 小时', '1 hour'),
  hour4: t('4 小时', '4 hours'),
  actionFailed: t('操作失败', 'Action failed'),
  networkError: t('无法连接网关，请稍后重试。', 'Cannot reach the gateway. Please try again.'),
  name: t('名称', 'Name'),
  type: t('类型', 'Type'),
  lastSeen: t('最后上报', 'Last seen'),
  never: t('从未上报', 'never'),
  timeLeft: t('剩余', 'Time left'),
  mute: t('静音', 'Mute'),
  muted: t('已静音', 'Muted'),
  enableSound: t('点按启用报警声音', 'Tap to enable alarm sound'),
  user: t('当前用户', 'Signed in as'),
}

/**
 * The text of a `{ 'zh-CN', en }` pair in `lang`, falling back to the other language, never undefined.
 * @param {Partial<LocalizedText> | null | undefined} localized
 * @param {Lang} lang
 * @returns {string}
 */
export function pick(localized, lang) {
  if (!localized) return ''
  return localized[lang] ?? localized['zh-CN'] ?? localized.en ?? ''
}

/**
 * A label from one of the tables above, or the raw value when the server knows a newer one.
 * @param {Readonly<Record<string, LocalizedText>>} table
 * @param {string} key
 * @param {Lang} lang
 * @returns {string}
 */
export function label(table, key, lang) {
  return table[key] ? pick(table[key], lang) : String(key)
}

/** @type {Map<string, Intl.DateTimeFormat>} */
const formatters = new Map()

/**
 * `MM-DD HH:mm:ss` in the store's time zone (not the tablet's): staff compare
 * it with the store's clocks and the notifications, which use the same zone.
 * @param {string} iso
 * @param {string} timeZone
 * @param {Lang} lang
 * @returns {string}
 */
export function formatTime(iso, timeZone, lang) {
  const ms = Date.parse(iso)
  if (Number.isNaN(ms)) return ''
  const key = `${lang}|${timeZone}`
  let fmt = formatters.get(key)
  if (!fmt) {
    /** @type {Intl.DateTimeFormatOptions} */
    const options = { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }
    try {
      fmt = new Intl.DateTimeFormat(lang, { ...options, hourCycle: 'h23', timeZone })
    } catch {
      // An unknown zone name throws RangeError; the tablet's own zone beats no time at all.
      fmt = new Intl.DateTimeFormat(lang, { ...options, hourCycle: 'h23' })
    }
    formatters.set(key, fmt)
  }
  return fmt.format(ms)
}

/**
 * `1 天 03:05:09` / `1 d 03:05:09`: a countdown that stays readable from days down to seconds.
 * @param {number} ms
 * @param {Lang} lang
 * @returns {string}
 */
export function formatDuration(ms, lang) {
  const total = Math.max(0, Math.floor(ms / 1000))
  const days = Math.floor(total / 86_400)
  const pad = (/** @type {number} */ n) => String(n).padStart(2, '0')
  const clock = `${pad(Math.floor((total % 86_400) / 3600))}:${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`
  if (days === 0) return clock
  return lang === 'zh-CN' ? `${days} 天 ${clock}` : `${days} d ${clock}`
}

/**
 * `大厅烟感（smoke-1）` / `Hall smoke (smoke-1)`, or the bare id, as gateway/channels/renderContext.ts.
 * @param {string | null} name
 * @param {string} id
 * @param {Lang} lang
 * @returns {string}
 */
export function deviceDisplayName(name, id, lang) {
  if (!name || name === id) return id
  return lang === 'zh-CN' ? `${name}（${id}）` : `${name} (${id})`
}

/**
 * `标签：值` in Chinese (full-width colon), `Label: value` in English, as labels.ts colon().
 * @param {Lang} lang
 * @returns {string}
 */
export function colon(lang) {
  return lang === 'zh-CN' ? '：' : ': '
}
