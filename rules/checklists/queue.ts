import type { Checklist, LocalizedText } from '../../gateway/core/alarm.js'

/**
 * The service standard §4.3.1 预处理引导 (docs/requirements.md#queue): more than 3 customers at one
 * counter → start pre-processing at once: learn what each waiting customer needs, help them get their
 * documents ready, and (§4.1 分流引导) send to the self-service area what can be done there. A staff
 * notice; a template (docs/requirements.md#store-texts) filled with the queue, its zone, how many
 * wait and at how many open counters.
 */
export const queuePreprocessNotice: LocalizedText = {
  'zh-CN':
    '{queue}（{zone}）排队客户较多：{waiting} 位客户等候，{counters} 个台席办理中，请启动预处理：' +
    '主动了解等候客户的业务需求；告知办理所需证件，协助复印身份证等准备工作，说明办理注意事项；' +
    '可在自助设备办理的业务，引导客户到自助区办理。',
  en:
    '{queue} ({zone}) is busy: {waiting} customers waiting, open counters: {counters}. Please start pre-processing: ' +
    'ask the waiting customers what they need; tell them which documents to bring, help them prepare (copy ID cards, ' +
    'explain what to note); guide those whose business a self-service terminal can do to the self-service area.',
}

/**
 * What the duty manager's notification says when the longest wait passes the target (the service
 * standard §5.2: 排队等候时长 ≤ 10 分钟, docs/requirements.md#queue). A template filled with the queue,
 * its zone, the longest wait and the target, in minutes.
 */
export const queueWaitMessage: LocalizedText = {
  'zh-CN': '排队等候超时：{queue}（{zone}）最长等候 {waitMin} 分钟，超过 {targetMin} 分钟的目标，请增开台席',
  en: 'Queue wait over target: the longest wait at {queue} ({zone}) is {waitMin} min, over the {targetMin} min target; please open another counter',
}

/**
 * The duty manager's steps when customers wait too long (docs/requirements.md#queue): the service
 * standard §4.3.1 预处理, §4.1 分流引导, and the manager's round of the hall (定时巡视营业现场，疏导分流，维持秩序).
 */
export const queueWaitChecklist: Checklist = {
  'zh-CN': [
    '增开台席：安排人员上岗办理，缩短客户等候时间',
    '安排引导人员主动了解客户需求，可自助办理的引导到自助区办理',
    '启动预处理：帮助等候客户提前准备所需证件和资料',
    '巡视营业现场，疏导分流，维持秩序，向久候的客户致歉并说明情况',
    '排队恢复正常后，恢复原有台席安排',
  ],
  en: [
    'Open another counter: put staff on it so customers wait less',
    'Have a guide ask customers what they need and take those a self-service terminal can serve to the self-service area',
    'Start pre-processing: help waiting customers get their documents and papers ready',
    'Walk the hall, spread the queue, keep order; apologise to customers who have waited long and explain',
    'When the queue is back to normal, return the counters to their usual plan',
  ],
}
