import type { Checklist } from '../../gateway/core/alarm.js'

/**
 * Supervision (docs/requirements.md#supervision): a device in fault ("trouble") may miss the emergency it
 * watches for. The emergency plan (docs/requirements.md#device-fault) 二、2 (1): a faulty facility → contact maintenance at once.
 */
export const deviceChecklist: Checklist = {
  'zh-CN': [
    '到现场检查设备：外壳是否被打开，设备是否被移动或损坏',
    '电量低：更换电池；防拆报警：重新装好外壳并固定设备',
    '无法自行处理的，立即联系维护人员报修',
    '修复前该设备可能无法报警，请加强该区域的人工巡查',
  ],
  en: [
    'Check the device on site: is the cover open, has it been moved or damaged?',
    'Low battery: replace the battery; tamper: re-seat the cover and fix the device in place',
    'If you cannot fix it yourself, call maintenance at once',
    'Until it is fixed the device may not raise alarms: check its area in person',
  ],
}
