import type { MqttBus } from '../bus/mqttBus.js'
import { createCalendar } from '../calendar/createCalendar.js'
import type { DeviceConfig } from '../config/schema.js'
import { zoneNamesOf } from '../config/zonesSchema.js'
import { registerNotificationMetrics } from '../metrics.js'
import { startNotifications } from '../notifications/notifications.js'
import type { SqliteDatabase } from '../storage/database.js'
import type { GatewayContext } from './context.js'
import type { Lifecycle } from './lifecycle.js'
import type { Domain, Services } from './pieces.js'
import { startTicketing } from './ticketing.js'

/** Repair tickets and notifications: what follows alarms over hours and days, on the business calendars. */
export async function startServices(
  ctx: GatewayContext,
  db: SqliteDatabase,
  bus: MqttBus,
  domain: Domain,
  life: Lifecycle,
): Promise<Services> {
  const { config, clock, events, log, metrics } = ctx
  const { alarms, notices } = domain
  const ticketing = startTicketing({
    config,
    db,
    bus,
    events,
    clock,
    log,
    metrics,
    notices,
    alarms,
    devices: domain.deviceDirectory,
  })
  await life.start({
    name: 'ticketing',
    tick: (now) => ticketing.tick(now),
    reload: (next) => ticketing.reloadDevices(next.devices),
    stop: () => ticketing.stop(),
  })
  if (!config.notifications.enabled) return { ticketing, notifications: null }
  const notifications = startNotifications({
    config: config.notifications,
    db,
    events,
    clock,
    log,
    isOpen: createCalendar(config.store, { ...config.tickets, calendar: 'store' }).isOpen,
    timeZone: config.store.timeZone,
    locale: config.store.locale,
    storeName: config.store.name,
    // alarms still open and unacknowledged across a restart keep escalating
    openAlarms: () => alarms.list(),
    outputs: domain.outputs.arbiter,
    deviceNames: deviceNamesOf(config.devices),
    zoneNames: zoneNamesOf(config.zones),
  })
  registerNotificationMetrics(metrics.registry, notifications.outbox)
  await life.start({
    name: 'notifications',
    tick: (now) => notifications.tick(now),
    stop: () => notifications.stop(),
    // routes and channels (configChanges.ts says when they are live); the rest of the section needs a restart
    reload: (next) => notifications.reload(next.notifications, deviceNamesOf(next.devices)),
  })
  return { ticketing, notifications }
}

/** `devices[].name` by id, shown in messages. */
function deviceNamesOf(devices: readonly DeviceConfig[]): Record<string, string> {
  return Object.fromEntries(devices.flatMap((d) => (d.name === undefined ? [] : [[d.id, d.name]])))
}
