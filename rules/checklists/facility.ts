import type { Checklist } from '../../gateway/core/alarm.js'

/**
 * A facility reporting its own fault (docs/requirements.md#ticketable-facilities). The emergency plan
 * (营业服务设施, 不可预见故障): contact maintenance at once, put a notice on it, remove it from the hall
 * if it cannot be repaired within a week; the service standard §4.2.2: guide customers to other channels.
 */
export const facilityChecklist: Checklist = {
  'zh-CN': [
    '到现场确认设施故障情况；维修工单已自动开立，请关注维护人员到场',
    '在设施上摆放温馨提示牌，引导客户通过其他渠道办理',
    '一周内无法修复的，将设施撤出营业厅',
    '有疑问请联系维护人员或拨打 {hotline}',
  ],
  en: [
    'Check the facility on site; a repair ticket has been opened, watch for maintenance to arrive',
    'Put a notice on the facility and guide customers to other channels',
    'If it cannot be repaired within a week, take it out of the hall',
    'For questions call maintenance or {hotline}',
  ],
}
