import type { LocalizedText } from '../../gateway/core/alarm.js'

/**
 * What staff see while the centre has declared a base-station / network fault, from the emergency
 * plan's 基站故障 (docs/requirements.md#network-fault) 3)–4): calm customers, explain with the unified
 * wording, apologise, take contact details to call back, no compensation promised on the spot. A
 * template: `{area}`, `{services}` and `{recovery}` come from the centre's declaration.
 */
export const networkFaultStaffNotice: LocalizedText = {
  'zh-CN':
    '基站故障（机房已确认）：{area}的{services}受影响。{recovery}' +
    '客户集中反映时：安抚客户情绪，按上级统一口径解释；尚无统一口径时，感谢客户反映，告知公司相关部门已在紧急处理，' +
    '由此带来的不便深表歉意。留下客户联系方式，待手机恢复使用时再通知客户，尽快疏导客户。' +
    '客户要求赔偿时：不要现场承诺赔偿，在法规允许的故障时间内一般不作赔偿承诺；事态严重时请示上级，在允许范围内补偿。',
  en:
    'Base-station fault (confirmed by the machine room): {services} in {area} affected. {recovery} ' +
    'When customers come in about it: calm them and explain with the wording the management gives; until there is one, ' +
    'thank them for telling us, say our engineers are already working on it urgently and apologise for the inconvenience. ' +
    'Take their contact details to call them back when their phones work again, and help them on their way. ' +
    'If a customer asks for compensation: promise none on the spot (none is normally due within the outage time the ' +
    'regulations allow); if things get serious, ask your superior what may be offered.',
}

/**
 * The unified wording for customers during a network fault (docs/requirements.md#network-fault 3), in
 * the polite service language (docs/requirements.md#service-language 二十四 2): thanks, apology, when,
 * call-back, and another store for what cannot wait.
 */
export const networkFaultCustomerNotice: LocalizedText = {
  'zh-CN':
    '因基站故障，{area}的{services}暂时无法正常使用。感谢您向我们反映，我们公司的相关部门已在紧急处理，' +
    '由此带来的不便，我们深表歉意。{recovery}您可在服务台留下联系方式，恢复后我们将第一时间通知您；' +
    '如需办理业务，也可前往{nearbyStore}。',
  en:
    'Because of a base-station fault, {services} in {area} are not working normally. Thank you for telling us: our ' +
    'engineers are already working on it urgently, and we apologise for the inconvenience. {recovery} Leave your ' +
    'contact details at the service desk and we will tell you as soon as service is back; you can also visit ' +
    '{nearbyStore}.',
}

/** The sentence a fault notice says when the centre has estimated the recovery; `{time}` in the store's zone. */
export const recoveryExpected: LocalizedText = {
  'zh-CN': '预计 {time} 恢复。',
  en: 'We expect service back by {time}.',
}

/** The sentence a fault notice says while no recovery time is known. */
export const recoveryUnknown: LocalizedText = {
  'zh-CN': '恢复时间确定后我们将第一时间公布。',
  en: 'We will post the expected recovery time as soon as we know it.',
}
