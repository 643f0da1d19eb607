import type { Checklist } from '../../gateway/core/alarm.js'

/**
 * The emergency plan's 第二节 投诉激化 二、启动方案 (docs/requirements.md#escalated-complaint): what
 * the manager does in every escalated complaint, before the steps of its situations.
 */
export const complaintChecklist: Checklist = {
  'zh-CN': [
    '营业厅经理或投诉处理主管带领用户离开营业现场，到单独的办公室处理',
    '与带头人对话，采取“个个击破”方式；集团客户由集团客户经理及其领导接待',
    '及时向上级领导汇报，请求援助解决',
  ],
  en: [
    'The store manager or the complaint supervisor takes the customers away from the hall to a separate office',
    'Talk to their leader and deal with them one by one; group customers are received by their account manager and that manager’s superior',
    'Report to your superiors at once and ask for help',
  ],
}

/** 三、五人及以上的集体投诉 (1)–(2): five or more people complaining together. */
export const complaintGroupChecklist: Checklist = {
  'zh-CN': [
    '集体投诉：热情接待，按正常流程处理；如用户继续坚持且情绪激动，请保安人员维持秩序',
    '请示直接领导寻求其他人员援助，“一对一”与用户单独沟通',
  ],
  en: [
    'Group complaint: receive them warmly and follow the normal process; if they insist and get agitated, ask security to keep order',
    'Ask your line manager for more staff, and talk with each customer one to one',
  ],
}

/**
 * 二、用户出现过激行为: take the customer to an office; property damaged or anyone threatened →
 * security at once. Calling 110 when anyone is in danger is the plan's 盗抢 (1) step, applied here.
 */
export const complaintAggressiveChecklist: Checklist = {
  'zh-CN': [
    '过激行为：值班经理设法带领用户离开营业现场到单独的办公室，进一步沟通',
    '用户损坏营业厅财产或威胁人身安全时，立即联系保安人员处理',
    '有人身安全危险时立即拨打 110 报警',
  ],
  en: [
    'Aggressive behaviour: the duty manager takes the customer away from the hall to a separate office to talk further',
    'If the customer damages store property or threatens anyone, call security at once',
    'If anyone is in danger, call 110 (police) at once',
  ],
}

/** 一、用户投诉升级至媒体 (1)–(3): the press on site. */
export const complaintPressChecklist: Checklist = {
  'zh-CN': [
    '媒体到场：先确认来者身份，请其出示记者工作证和介绍信；告知未经允许禁止拍照或摄像',
    '电话联系新闻媒体归口部门和对口人员前来接待媒体，同时向上级领导汇报',
    '证件不齐全者，热情耐心地告知须与公司联系方可采访或录像',
    '委婉告知前台不直接接受采访或拍摄；事情处理完毕前不发表任何评论，公司会妥善处理此事',
  ],
  en: [
    'Press on site: first check who they are — ask for their press card and letter of introduction; say that no photos or filming are allowed without consent',
    'Call the press office (the department in charge of media) to send someone to receive them, and report to your superiors',
    'If their papers are incomplete, explain warmly and patiently that interviews and filming must be arranged with the company',
    'Say politely that the counter gives no interviews or filming, and make no comment on site until the matter is settled; the company will handle it properly',
  ],
}
