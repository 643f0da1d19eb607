import type { Checklist } from '../../gateway/core/alarm.js'

/** The emergency plan's 第三节 安全事件 二、3 盗抢 (1)–(3), in order (docs/requirements.md#robbery). */
export const robberyChecklist: Checklist = {
  'zh-CN': [
    '及时按下报警开关；保安人员紧急呼叫其他岗位增援',
    '拨打 110 报公安机关，同时向上级领导汇报',
    '避免与歹徒发生正面冲突，在确保自身安全的前提下，记住犯罪人的相貌、衣着打扮、年龄、身高等特征',
    '如有犯罪车辆，记住车牌号或车型、车身颜色，方便公安机关追查',
    '保护现场，疏导围观人员，并做好保密工作，避免产生不良影响',
    '如现场有人员受伤，拨打 120 急救，并安排人员到路口引导急救车',
  ],
  en: [
    'Press the alarm switch; security calls the other posts for help',
    'Call 110 (police) and report to your superiors',
    "Avoid confrontation; while keeping yourself safe, remember the robbers' faces, clothes, age and height",
    'If they have a vehicle, remember its plate number or model and its colour, so the police can trace it',
    'Protect the scene, keep onlookers away and keep the incident confidential',
    'If anyone is hurt, call 120 and send someone to the road to guide the ambulance in',
  ],
}
