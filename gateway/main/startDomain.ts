import { createAlarmService } from '../alarms/alarmService.js'
import { createAlarmStore } from '../alarms/alarmStore.js'
import { createMqttStatePublisher } from '../alarms/mqttStatePublisher.js'
import { createDeviceState } from '../engine/deviceState.js'
import { createNetworkFaults } from '../networkFaults/networkFaults.js'
import { createRecoveryEstimates } from '../networkFaults/recoveryEstimates.js'
import { createNoticeService } from '../notices/noticeService.js'
import { createNoticeStore } from '../notices/noticeStore.js'
import { createOutputs } from '../outputs/outputs.js'
import { createEmergencySignage } from '../signage/emergencySignage.js'
import type { Journal } from '../storage/journal.js'
import { wireAlarmFloodSummary } from './alarmFloodSummary.js'
import type { GatewayContext } from './context.js'
import { createJournalFault } from './journalFault.js'
import type { Lifecycle } from './lifecycle.js'
import type { Domain, Mqtt } from './pieces.js'

/**
 * Alarms, notices and the devices' state. Open alarms and active notices are
 * republished before any device is read (the embedded broker's retained store
 * starts empty); only then is the centre connected, so its commands find them.
 * The outputs come first: the alarm service annunciates each change it
 * commits (docs/design.md#outputs).
 */
export async function startDomain(ctx: GatewayContext, journal: Journal, mqtt: Mqtt, life: Lifecycle): Promise<Domain> {
  const { config, clock, events, metrics, log } = ctx
  const { db } = journal
  const locale = config.store.locale
  const publisher = createMqttStatePublisher(mqtt.bus, config.topicPrefix)
  const outputs = createOutputs({
    config: config.outputs,
    devices: config.devices,
    topicPrefix: config.topicPrefix,
    publish: (topic, payload) => mqtt.bus.publish(topic, payload, { qos: 1 }),
    log,
  })
  const alarms = createAlarmService({
    store: createAlarmStore(db),
    publisher: publisher.alarms,
    events,
    clock,
    locale,
    metrics,
    annunciate: outputs.annunciate,
    log: log.child({ mod: 'alarms' }),
  })
  const notices = createNoticeService({
    store: createNoticeStore(db),
    publisher: publisher.notices,
    events,
    clock,
    locale,
  })
  // docs/requirements.md#network-fault: declared by the centre (or a manager), its notices are its state
  const networkFaults = createNetworkFaults({ notices, texts: ctx.texts, timeZone: config.store.timeZone })
  const recoveryEstimates = createRecoveryEstimates({ alarms, notices })
  const journalFault = createJournalFault(alarms, ctx.texts.checklist('journal.checklist'))
  journal.onChange(journalFault.sync)
  journalFault.sync(journal.health())
  await life.start(
    // while the disk is down, each tick updates the fault's count of lost writes
    {
      name: 'journal fault',
      tick() {
        if (!journal.health().up) journalFault.sync(journal.health())
      },
    },
    {
      name: 'alarms and notices',
      start() {
        alarms.republishOpen()
        notices.republishActive()
        mqtt.bridge?.connect(alarms, config.alarms.maxShelveSec, { networkFaults, recoveryEstimates })
      },
      tick() {
        alarms.unshelveExpired()
        notices.expire()
      },
    },
    wireAlarmFloodSummary(config.alarms, events, publisher.event, clock),
    createEmergencySignage({
      events,
      alarms,
      notices,
      texts: {
        fire: ctx.texts.text('fire.evacuationNotice'),
        flood: ctx.texts.text('flood.closureNotice'),
        power: ctx.texts.text('power.guidanceNotice'),
      },
    }),
  )
  const devices = createDeviceState(config.devices, config.rules.deviceHealth)
  const deviceDirectory = devices.directory((deviceId) =>
    alarms
      .list()
      .filter((a) => a.kind === 'device_fault' && a.deviceId === deviceId && a.conditionActive)
      .map((a) => ({
        reason: String(a.details.reason ?? a.key.split(':').at(-1)),
        since: a.raisedAt,
        message: a.message,
        silent: a.silent,
      })),
  )
  return { alarms, notices, networkFaults, recoveryEstimates, publisher, outputs, devices, deviceDirectory }
}
