import type { Checklist, LocalizedText } from '../../gateway/core/alarm.js'

/**
 * The service standard §5.3.3 (docs/requirements.md#power) 3) 自有厅紧急停电的处理流程, in order. A template:
 * `{hotline}` is the store's operator hotline (docs/requirements.md#store-texts).
 */
export const powerChecklist: Checklist = {
  'zh-CN': [
    '立即通知网管维护中心，要求协助解决',
    '联系所属供电局或物业管理处，了解停电情况，作相应准备',
    '通知 {hotline} 热线，同时发短信通知主管经理',
    '挂出故障公告牌，组织人员向客户解释，做好现场人流疏导；引导客户通过热线、网站等自助手段办理业务，或到其它自有厅办理、到指定银行交费',
    '供电恢复后，通知 {hotline} 热线及主管经理',
  ],
  en: [
    'Notify the network management and maintenance centre at once and ask for help',
    'Contact the power company or the property management office, find out about the outage and prepare accordingly',
    'Notify the {hotline} hotline and text the store manager',
    'Hang the fault notice, explain to customers and guide the flow of people; direct customers to the hotline, website and other self-service channels, to another of our stores, or to the designated banks to pay bills',
    'When power is back, tell the {hotline} hotline and the store manager',
  ],
}

/**
 * The customer notice during a power cut, in the polite service language (二十四 2, 二十五 2;
 * docs/requirements.md#service-language); a template like the checklist. `{recovery}` says when power is
 * expected back and `{nearbyStore}` is the store's alternative (docs/requirements.md#network-fault:
 * customer notices say when and where else).
 */
export const powerOutageNotice: LocalizedText = {
  'zh-CN':
    '由于供电故障，部分业务暂停办理，我们正在全力抢修，给您带来不便深表歉意。{recovery}' +
    '您可以通过 {hotline} 热线、网上营业厅等自助渠道办理业务，或前往{nearbyStore}办理，感谢您的谅解！',
  en:
    'Due to a power failure some services are unavailable. We are restoring power as fast as we ' +
    'can and apologise for the inconvenience. {recovery} You can use the {hotline} hotline, our website and other self-service ' +
    'channels, or visit {nearbyStore}. Thank you for your understanding.',
}
