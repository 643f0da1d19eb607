import type { Checklist } from '../../gateway/core/alarm.js'

/** Supervision (docs/requirements.md#supervision): a device in trouble is checked and repaired, like a fire panel's trouble signal. */
export const supervisionChecklist: Checklist = {
  'zh-CN': [
    '检查设备供电、电池和指示灯',
    '检查网络、网关或总线接线（RS-485、GPIO 线路）',
    '设备故障期间加强人工巡查，确保安全不受影响',
    '无法恢复时立即报修并记录',
  ],
  en: [
    "Check the device's power, battery and indicator lights",
    'Check the network, gateway or bus wiring (RS-485, GPIO lines)',
    'Patrol that area by hand while the device is out, so safety is not left uncovered',
    'Call maintenance at once if it does not come back, and log it',
  ],
}
