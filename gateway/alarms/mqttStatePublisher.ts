import type { MqttBus } from '../bus/mqttBus.js'
import type { Alarm } from '../core/alarm.js'
import type { AlarmFloodEvent, TicketRequestEvent } from '../core/events.js'
import type { NetworkFaultReportEvent } from '../core/networkFault.js'
import type { Notice } from '../core/notice.js'
import type { NoticePublisher } from '../notices/noticeService.js'
import type { AlarmPublisher } from './alarmService.js'

/**
 * MQTT out (docs/requirements.md#mqtt-topics): retained `alarms/<id>` and `notices/<id>` while they are
 * open (an empty retained payload removes them), and every change on `events`.
 */
export function createMqttStatePublisher(bus: MqttBus, topicPrefix: string) {
  const retained = (topic: string, doc: object | null) =>
    bus.publish(`${topicPrefix}/${topic}`, doc === null ? '' : JSON.stringify(doc), { retain: true, qos: 1 })
  const event = (doc: object) => bus.publish(`${topicPrefix}/events`, JSON.stringify(doc), { qos: 1 })

  const retainAlarm = (alarm: Alarm) => retained(`alarms/${alarm.id}`, alarm.state === 'closed' ? null : alarm)
  const retainNotice = (notice: Notice) => retained(`notices/${notice.id}`, notice.active ? notice : null)

  const alarms: AlarmPublisher = {
    retainAlarm,
    alarmChanged(alarm, action, by) {
      retainAlarm(alarm)
      event({ type: 'alarm', action, by, at: alarm.updatedAt, alarm })
    },
  }
  const notices: NoticePublisher = {
    retainNotice,
    noticeChanged(notice, action, by) {
      retainNotice(notice)
      event({ type: 'notice', action, by, at: notice.updatedAt, notice })
    },
  }
  return {
    alarms,
    notices,
    /** Events that change no retained state: ticket requests, alarm-flood summaries, network fault reports. */
    event: (e: TicketRequestEvent | AlarmFloodEvent | NetworkFaultReportEvent) => event(e),
  }
}
