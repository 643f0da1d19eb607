import type { Checklist } from '../../gateway/core/alarm.js'

/**
 * The service standard §4.2.1 (docs/requirements.md#terminal-fault) (自助服务设施要求 4; 服务人员标准 2) and the emergency plan (docs/requirements.md#terminal-fault) 二、2 不可预见故障 (1)
 * 营业服务设施, in the order staff act on them.
 */
export const terminalChecklist: Checklist = {
  'zh-CN': [
    '立即报障：联系维护人员报修',
    '在设备上摆放温馨提示牌，张贴告示告知客户',
    '报修期间引导客户到其他自助终端或人工柜台办理业务',
    '尽量在 2 个营业日内修复',
    '如一周内无法修复，将设备撤离营业厅',
  ],
  en: [
    'Report the fault for repair at once: call maintenance',
    'Put a notice on the machine and post a notice telling customers',
    'While it is being repaired, guide customers to another self-service terminal or a counter',
    'Have it repaired within 2 business days',
    'If it cannot be repaired within a week, remove it from the hall',
  ],
}
