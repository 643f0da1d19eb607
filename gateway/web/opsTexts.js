// @ts-check
/** Phrases of the console's work panels: repair-ticket actions, posting notices, the alarm history. */

/** @typedef {import('./types.js').LocalizedText} LocalizedText */

/** @type {(zh: string, en: string) => LocalizedText} */
const t = (zh, en) => ({ 'zh-CN': zh, en })

export const OPS_TEXT = {
  ack: t('确认', 'Acknowledge'),
  start: t('开始维修', 'Start repair'),
  resolve: t('已修复', 'Resolve'),
  noticesHeading: t('发布公告', 'Post a notice'),
  audience: t('对象', 'For'),
  customers: t('顾客（信息屏）', 'Customers (signage)'),
  staff: t('员工', 'Staff'),
  where: t('位置', 'Where'),
  wholeStore: t('全店', 'Whole store'),
  textZh: t('中文内容', 'Text in Chinese'),
  textEn: t('英文内容', 'Text in English'),
  startsAt: t('开始时间（可选，默认立即）', 'Starts at (optional, default now)'),
  startsLater: t('预约于', 'Starts'),
  endsAt: t('结束时间（可选）', 'Ends at (optional)'),
  post: t('发布', 'Post'),
  posted: t('公告已发布', 'Notice posted'),
  withdraw: t('撤下', 'Withdraw'),
  postedBy: t('发布人', 'Posted by'),
  byRule: t('系统规则发布，故障恢复后自动撤下', 'Posted by a rule; it ends when the fault does'),
  textRequired: t('请至少填写一种语言的内容', 'Write the text in at least one language'),
  openTicketHeading: t('报修（无传感器的设施）', 'Report a repair (a facility without a sensor)'),
  facility: t('设施', 'Facility'),
  whatIsWrong: t('故障描述', 'What is wrong'),
  openTicket: t('提交报修', 'Open a ticket'),
  ticketOpened: t('工单已开立', 'Ticket opened'),
  ticketFieldsRequired: t('请填写设施和故障描述', 'Name the facility and say what is wrong'),
  historyHeading: t('告警记录', 'Alarm history'),
  allKinds: t('全部类型', 'All kinds'),
  allZones: t('全部区域', 'All zones'),
  date: t('日期', 'Date'),
  show: t('查询', 'Show'),
  more: t('加载更多', 'Load more'),
  noClosedAlarms: t('没有符合条件的告警记录', 'No closed alarms match'),
  closedAt: t('关闭时间', 'Closed at'),
  resetBy: t('复位人', 'Reset by'),
  failed: t('操作失败', 'Failed'),
  networkError: t('无法连接网关', 'The gateway cannot be reached'),
}

/**
 * What to say for a failed call: the server's message names the field; no answer at all says so.
 * @param {unknown} caught
 * @param {import('./types.js').Lang} lang
 * @returns {string}
 */
export function failureText(caught, lang) {
  const err = /** @type {{ status?: number, message?: string }} */ (caught)
  const why = err.status === 0 || !err.message ? OPS_TEXT.networkError[lang] : err.message
  return `${OPS_TEXT.failed[lang]}${lang === 'zh-CN' ? '：' : ': '}${why}`
}
