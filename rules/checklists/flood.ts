import type { Checklist, LocalizedText } from '../../gateway/core/alarm.js'
import type { WeatherLevel } from '../../gateway/core/weather.js'

/** Seed 000 第三节 安全事件 二、水灾 (1)–(6), in order. */
export const floodChecklist: Checklist = {
  'zh-CN': [
    '启动防汛抢险小组，取出沙袋等厅内防汛设备',
    '根据风情、水情、雨情做好相应的防汛工作',
    '安排专人密切注意天气变化，收集气象部门的气象信息，发现险情立即上报',
    '根据厅内地理环境做好财产转移工作',
    '在受灾区域开展引洪、排洪、防风工作',
    '应急小组指挥部及时掌握险情和抢险进展情况，并及时上报公司领导',
  ],
  en: [
    "Start the store's flood team and bring out the sandbags and other flood equipment",
    'Take flood precautions that fit the wind, water and rain conditions',
    'Have someone watch the weather closely, collect the weather service’s reports, and report any danger at once',
    'Move property to safety according to the layout of the store',
    'Divert and drain the water and protect against the wind in the affected area',
    'The emergency command keeps track of the danger and the response and reports to company management promptly',
  ],
}

const KIND_ZH: Readonly<Record<string, string>> = { rainstorm: '暴雨', typhoon: '台风', flood: '洪水' }
const LEVEL_ZH: Readonly<Record<WeatherLevel, string>> = { blue: '蓝色', yellow: '黄色', orange: '橙色', red: '红色' }

/**
 * Seed 000 水灾 (2)–(4): when the weather service issues a rainstorm warning,
 * prepare flood defences, move property, watch the weather. A staff notice.
 */
export function floodWeatherNotice(kind: string, level: WeatherLevel, sourceText: string | null): LocalizedText {
  const zh =
    `气象台发布${KIND_ZH[kind] ?? kind}${LEVEL_ZH[level]}预警：请做好防汛准备——检查沙袋等防汛设备，` +
    '根据厅内地理环境转移易受水浸的财产，安排专人密切注意天气变化，发现险情立即上报。'
  const en =
    `${level[0]?.toUpperCase()}${level.slice(1)} ${kind} warning: prepare flood defences — check the sandbags ` +
    'and other flood equipment, move property at risk from water to safety, have someone watch the weather ' +
    'closely and report any danger at once.'
  if (sourceText === null) return { 'zh-CN': zh, en }
  return { 'zh-CN': `${zh}预警内容：${sourceText}`, en: `${en} Warning text: ${sourceText}` }
}

/**
 * What customer signage says while a critical flood closes part of the store
 * (docs/requirements.md#flood): keep customers out of the water and moving calmly
 * (水灾 (4)–(5) move property and drain the area), in calm service language
 * (docs/requirements.md#service-language).
 */
export const floodClosureNotice: LocalizedText = {
  'zh-CN': '因地面积水，部分区域暂停开放。请注意脚下安全，听从工作人员引导。给您带来不便，敬请谅解！',
  en: 'Part of the store is closed because of water on the floor. Please mind your step and follow our staff. We apologise for the inconvenience.',
}
