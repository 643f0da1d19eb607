/**
 * Labels for the staff console, in Chinese and English. The wording of kinds,
 * severities, ticket statuses and field names is the same as the notifiers'
 * (gateway/channels/labels.ts), so a message on WeCom and the console agree.
 */

/** The console's languages; zh-CN is the default (SPEC: a Chinese store, staff read Chinese first). */
export const LANGS = ['zh-CN', 'en']

const t = (zh, en) => ({ 'zh-CN': zh, en })

/** Alarm kinds (docs/requirements.md#rules-and-alarms) as staff call them (labels.ts KIND_LABELS). */
export const KIND_LABELS = {
  fire: t('火警', 'Fire'),
  flood: t('水浸', 'Flood'),
  robbery: t('抢劫报警', 'Robbery alarm'),
  terminal_fault: t('自助终端故障', 'Self-service terminal fault'),
  device_fault: t('设备故障', 'Device fault'),
  power_outage: t('停电', 'Power outage'),
  system_fault: t('业务系统故障', 'Business system fault'),
}

/** ITU-T X.733 perceived severities (labels.ts SEVERITY_LABELS). */
export const SEVERITY_LABELS = {
  critical: t('严重', 'Critical'),
  major: t('主要', 'Major'),
  minor: t('次要', 'Minor'),
  warning: t('警告', 'Warning'),
}

/** ISA-18.2 alarm states, phrased for the person who has to act on them. */
export const STATE_LABELS = {
  active_unacked: t('未确认', 'Unacknowledged'),
  active_acked: t('已确认', 'Acknowledged'),
  cleared_unacked: t('已恢复，未确认', 'Cleared, unacknowledged'),
  closed: t('已关闭', 'Closed'),
}

/** labels.ts TICKET_STATUS_LABELS. */
export const TICKET_STATUS_LABELS = {
  open: t('待受理', 'open'),
  acknowledged: t('已受理', 'acknowledged'),
  in_progress: t('维修中', 'in progress'),
  resolved: t('已解决', 'resolved'),
  cancelled: t('已取消', 'cancelled'),
}

export const ROLE_LABELS = {
  viewer: t('只读', 'Viewer'),
  staff: t('营业员', 'Staff'),
  maintenance: t('维护人员', 'Maintenance'),
  manager: t('值班经理', 'Manager'),
  admin: t('管理员', 'Administrator'),
}

export const DEVICE_TYPE_LABELS = {
  smoke: t('烟感', 'Smoke detector'),
  heat: t('温感', 'Heat detector'),
  water_level: t('水位', 'Water level'),
  leak: t('漏水', 'Leak sensor'),
  panic_button: t('紧急按钮', 'Panic button'),
  terminal: t('自助终端', 'Self-service terminal'),
  power: t('电源', 'Power'),
  temperature: t('温度', 'Temperature'),
  door: t('门磁', 'Door'),
  queue: t('排队机', 'Queue system'),
  business_system: t('业务系统', 'Business system'),
  siren: t('声光报警器', 'Siren'),
  strobe: t('闪灯', 'Strobe'),
}

/** Fixed phrases of the console; field names follow labels.ts TEXT. */
export const TEXT = {
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
  fire: t('火警', 'FIRE'),
  zone: t('区域', 'Zone'),
  device: t('设备', 'Device'),
  kind: t('类型', 'Kind'),
  severity: t('级别', 'Severity'),
  state: t('状态', 'State'),
  status: t('状态', 'Status'),
  raisedAt: t('发生时间', 'Raised at'),
  checklist: t('处置步骤', 'What to do'),
  shelvedUntil: t('搁置至', 'Shelved until'),
  escalationLevel: t('升级次数', 'Escalation level'),
  chattering: t('频繁抖动，已抑制', 'Chattering, suppressed'),
  confidential: t('保密', 'Confidential'),
  // labels.ts TEXT.confidentialNote, robbery (docs/requirements.md#robbery): silent.
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
  ok: t('正常', 'OK'),
  fault: t('故障', 'Fault'),
  faultCodes: t('故障码', 'Fault codes'),
  dueAt: t('修复时限', 'Due'),
  timeLeft: t('剩余', 'Time left'),
  overdue: t('已超时', 'overdue'),
  assignee: t('负责人', 'Assignee'),
  customerNotice: t('顾客公告', 'Customer notice'),
  staffNotice: t('员工通知', 'Staff notice'),
  startsAt: t('开始', 'From'),
  endsAt: t('结束', 'Until'),
  mute: t('静音', 'Mute'),
  muted: t('已静音', 'Muted'),
  enableSound: t('点按启用报警声音', 'Tap to enable alarm sound'),
  user: t('当前用户', 'Signed in as'),
}

/** The text of a `{ 'zh-CN', en }` pair in `lang`, falling back to the other language, never undefined. */
export function pick(localized, lang) {
  if (!localized) return ''
  return localized[lang] ?? localized['zh-CN'] ?? localized.en ?? ''
}

/** A label from one of the tables above, or the raw value when the server knows a newer one. */
export function label(table, key, lang) {
  return table[key] ? pick(table[key], lang) : String(key)
}

const formatters = new Map()

/**
 * `MM-DD HH:mm:ss` in the store's time zone (not the tablet's): staff compare
 * it with the store's clocks and the notifications, which use the same zone.
 */
export function formatTime(iso, timeZone, lang) {
  const ms = Date.parse(iso)
  if (Number.isNaN(ms)) return ''
  const key = `${lang}|${timeZone}`
  let fmt = formatters.get(key)
  if (!fmt) {
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

/** `1 天 03:05:09` / `1 d 03:05:09`: a countdown that stays readable from days down to seconds. */
export function formatDuration(ms, lang) {
  const total = Math.max(0, Math.floor(ms / 1000))
  const days = Math.floor(total / 86_400)
  const pad = (n) => String(n).padStart(2, '0')
  const clock = `${pad(Math.floor((total % 86_400) / 3600))}:${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`
  if (days === 0) return clock
  return lang === 'zh-CN' ? `${days} 天 ${clock}` : `${days} d ${clock}`
}

/** `大厅烟感（smoke-1）` / `Hall smoke (smoke-1)`, or the bare id, as gateway/channels/renderContext.ts. */
export function deviceDisplayName(name, id, lang) {
  if (!name || name === id) return id
  return lang === 'zh-CN' ? `${name}（${id}）` : `${name} (${id})`
}

/** `标签：值` in Chinese (full-width colon), `Label: value` in English, as labels.ts colon(). */
export function colon(lang) {
  return lang === 'zh-CN' ? '：' : ': '
}
