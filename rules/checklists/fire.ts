import type { Checklist, LocalizedText } from '../../gateway/core/alarm.js'

/** Seed 000 第三节 安全事件 一、火灾 (1)–(5), in order. */
export const fireChecklist: Checklist = {
  'zh-CN': [
    '立即拨打 119 报警，同时第一时间向上级及相关部门汇报情况',
    '启动营业厅消防小组，进行抢险：组织人员、物资安全疏散和灭火扑救',
    '有秩序地疏散人群，保持冷静，避免冲撞、拥挤',
    '增援灭火器材、转移财产，维护好外围秩序',
    '配合专职消防队员及医护人员抢救被困伤员及重要物资',
  ],
  en: [
    'Call 119 at once and report to your superiors and the relevant departments',
    "Start the store's fire team: evacuate people and property, fight the fire while it is small",
    'Evacuate in order; stay calm, avoid pushing and crowding',
    'Bring more extinguishers, move property to safety, keep the surroundings in order',
    'Help the fire brigade and medical staff rescue the trapped and injured and save key property',
  ],
}

/**
 * What customer signage says during a fire, alone and full screen
 * (docs/requirements.md#fire): the plan's first step for customers is to leave in
 * order, calmly (第三节 一、火灾 (3)). Calm service language
 * (docs/requirements.md#service-language): no alarm words, no blame, a thank-you.
 */
export const fireEvacuationNotice: LocalizedText = {
  'zh-CN': '请保持冷静，听从工作人员引导，按疏散指示有序离开。谢谢您的配合！',
  en: 'Please stay calm, follow our staff and leave the store in order following the exit signs. Thank you for your cooperation.',
}
