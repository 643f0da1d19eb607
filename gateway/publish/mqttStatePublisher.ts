import type { AlarmPublisher } from '../alarms/alarmService.js'
import type { MqttBus } from '../bus/mqttBus.js'
import type { Alarm } from '../core/alarm.js'

/**
 * SPEC §7 MQTT out: `alarms/<id>` retained JSON of each open alarm, an empty
 * retained payload when it closes, and every change on `events`.
 */
export function createMqttStatePublisher(bus: MqttBus, topicPrefix: string): AlarmPublisher {
  const retainAlarm = (alarm: Alarm): void => {
    const payload = alarm.state === 'closed' ? '' : JSON.stringify(alarm)
    bus.publish(`${topicPrefix}/alarms/${alarm.id}`, payload, { retain: true, qos: 1 })
  }
  return {
    retainAlarm,
    alarmChanged(alarm, action, by) {
      retainAlarm(alarm)
      bus.publish(`${topicPrefix}/events`, JSON.stringify({ type: 'alarm', action, by, at: alarm.updatedAt, alarm }), {
        qos: 1,
      })
    },
  }
}
