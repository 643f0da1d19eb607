import type { Checklist } from '../../gateway/core/alarm.js'

/** What staff do when the gateway's journal disk is full or failing: the alarms still work, the record does not. */
export const journalChecklist: Checklist = {
  'zh-CN': [
    '火警、水浸、抢劫报警仍会鸣响和显示；网关暂时把记录保存在内存中',
    '通知维护人员清理网关数据盘空间或更换 SD 卡；磁盘恢复后网关会自动补写保存的记录',
    '磁盘恢复前不要重启网关：重启会丢失内存中的记录；在自有厅工作日志中记下期间的报警',
  ],
  en: [
    'Fire, flood and robbery alarms still sound and show; the gateway keeps its record in memory for now',
    "Call maintenance to free space on the gateway's data disk or replace its SD card; the gateway writes what it kept once the disk takes writes again",
    'Do not restart the gateway before then: a restart loses what is held in memory; note the alarms of this period in the store work log',
  ],
}
