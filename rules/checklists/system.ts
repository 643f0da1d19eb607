import type { Checklist, LocalizedText } from '../../gateway/core/alarm.js'

/**
 * The service standard §5.3.3 (docs/requirements.md#system) 1) 业务系统故障处理流程, with the emergency plan (docs/requirements.md#system) 三、系统故障 2 (2)
 * (apologise, handwritten receipts, customer contacts), in order. A template: `{hotline}` is the store's
 * operator hotline (docs/requirements.md#store-texts).
 */
export const systemChecklist: Checklist = {
  'zh-CN': [
    '操作员在 5 分钟内报告自有厅值班经理；值班经理通过电子流程或纸质流程向后台部门申报故障，已影响正常营业的马上通知自有厅主管部门',
    '贴/挂故障通知，做好现场客户引导；故障范围较大、影响周围厅店时，及时通知其它业务部门',
    '主动向客户致歉并解释，告知恢复时限；采取应急措施，如开具手写票据、留下客户联系方式，或“预留”客户证件待系统恢复后统一办理',
    '在自有厅工作日志中记录故障处理情况',
    '影响正常营业的故障应在 30 分钟内排除；无法按时排除的，值班经理及时通知自有厅主管部门',
    '大范围故障排除后，立即通知 {hotline} 热线、大客户经理、其它自有厅等服务部门',
  ],
  en: [
    'Report to the duty manager within 5 minutes; the duty manager files the fault with the back office (electronic or paper process) and, if business is affected, tells the supervising department at once',
    'Post the fault notice and guide customers; if the fault is wide enough to affect nearby stores, tell the other departments',
    'Apologise to customers, explain, and say when service will be back; use emergency measures: handwritten receipts, take customer contact details, or keep their documents to process once the system is back',
    'Record the fault and its handling in the store work log',
    'A fault that stops business must be cleared within 30 minutes; if it cannot be, the duty manager tells the supervising department',
    'When a wide fault is over, tell the {hotline} hotline, key-account managers and the other stores at once',
  ],
}

/**
 * The customer notice during a system fault, in the polite service language (二十四 2, 二十五 1;
 * docs/requirements.md#service-language), saying when service is back (`{recovery}`) and offering the
 * store's alternative `{nearbyStore}` (docs/requirements.md#network-fault: customer notices say when and where else).
 */
export const systemFaultNotice: LocalizedText = {
  'zh-CN':
    '系统故障，我们正在紧急处理，部分业务暂时无法办理，给您带来不便深表歉意。{recovery}' +
    '如需办理业务，我们可为您开具手写票据并登记联系方式，待系统恢复后第一时间为您办理；您也可前往{nearbyStore}办理。感谢您的谅解！',
  en:
    'Our business system has a fault and we are working urgently to fix it. Some services are ' +
    'temporarily unavailable; we apologise for the inconvenience. {recovery} We can issue a handwritten receipt and take your ' +
    'contact details, and will complete your request as soon as the system is back; you can also visit {nearbyStore}. ' +
    'Thank you for your understanding.',
}
