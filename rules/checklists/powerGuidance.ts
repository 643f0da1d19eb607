import type { LocalizedText } from '../../gateway/core/alarm.js'

/**
 * What customer signage says during a power cut, alone and full screen
 * (docs/requirements.md#power): lights may be out, so safety comes before the
 * power rule's own notice about other channels (powerOutageNotice), which it
 * hides while it stands. Calm service language (docs/requirements.md#service-language).
 */
export const powerCutGuidanceNotice: LocalizedText = {
  'zh-CN': '因供电故障，部分照明和业务暂停。请注意脚下安全，听从工作人员引导。谢谢您的配合！',
  en: 'Because of a power failure some lights and services are off. Please mind your step and follow our staff. Thank you for your cooperation.',
}
