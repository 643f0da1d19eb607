import { createClosedAlarmStore } from '../alarms/closedAlarmStore.js'
import { zoneNamesOf } from '../config/zonesSchema.js'
import { hotlineOf } from '../core/operators.js'
import type { ConfigStatus, HealthReport, JournalStatus } from '../core/ports.js'
import type { RuleEngine } from '../engine/ruleEngine.js'
import { createApiServer } from '../http/apiServer.js'
import { listen } from '../http/listen.js'
import type { Journal, JournalHealth } from '../storage/journal.js'
import { createComplaintDesk } from './complaintDesk.js'
import type { GatewayContext } from './context.js'
import type { Lifecycle } from './lifecycle.js'
import type { Domain, Mqtt, Services } from './pieces.js'

/** The HTTP API and the pages, listening once everything they serve runs; returns its URL. */
export async function startApi(
  ctx: GatewayContext,
  journal: Journal,
  mqtt: Mqtt,
  domain: Domain,
  services: Services,
  life: Lifecycle,
  /** Staff reports (docs/requirements.md#escalated-complaint) go through the rules as readings do. */
  engine: Pick<RuleEngine, 'onComplaintReport'>,
  /** The last config reload, shown on /healthz. */
  configStatus?: () => ConfigStatus,
): Promise<string> {
  const { config, clock, events, log, metrics } = ctx
  const { alarms, notices } = domain
  const { notifications } = services
  // read at every token check: a reload replaces the users; host, port and TLS stay until a restart
  let users = config.api.users
  let zones = config.zones
  // a report or a hand-opened ticket names one of these; read at every request, as a reload may add a device in a new zone
  const storeZones = () => new Set([...zones.map((z) => z.id), ...domain.deviceDirectory.list().map((d) => d.zone)])
  const api = createApiServer({
    ...(ctx.tls.api ? { https: ctx.tls.api } : {}),
    users: () => users,
    alarms,
    devices: domain.deviceDirectory,
    notices,
    noticeCommands: notices,
    closedAlarms: createClosedAlarmStore(journal.db),
    tickets: services.ticketing.commands,
    storeZones,
    complaints: createComplaintDesk({ engine, alarms, zones: storeZones }),
    ...(notifications ? { notifications: notifications.outbox } : {}),
    networkFaults: {
      faults: domain.networkFaults,
      // docs/requirements.md#network-fault: on `events`, so through the bridge's durable uplink to the centre
      report: (report) =>
        domain.publisher.event({ type: 'network_fault_report', report, by: report.by, at: report.at }),
      bridged: mqtt.bridge !== null,
    },
    health: healthOf(ctx, journal, mqtt, domain, configStatus),
    metrics,
    log,
    now: clock.now,
    maxShelveSec: config.alarms.maxShelveSec,
    resetRoleFor: (id) => alarms.get(id)?.resetRole ?? 'staff',
    console: {
      store: {
        id: config.store.id,
        name: config.store.name,
        locale: config.store.locale,
        timeZone: config.store.timeZone,
        zones: zoneNamesOf(config.zones),
        hotline: hotlineOf(config.store.operator),
      },
      changes: (listener) => events.subscribe(listener),
      signage: config.signage,
    },
  })
  const bound = await listen(api, config.api.host, config.api.port)
  await life.start({
    name: 'api',
    stop: () => api.close(),
    reload(next) {
      users = next.api.users
      zones = next.zones
    },
  })
  return bound.url
}

function healthOf(
  ctx: GatewayContext,
  journal: Journal,
  mqtt: Mqtt,
  domain: Domain,
  configStatus?: () => ConfigStatus,
): () => HealthReport {
  const { config, clock } = ctx
  const { bus, bridge } = mqtt
  const startedAt = clock.now()
  return () => {
    const brokerUp = bus.isConnected()
    const journalHealth = journal.health()
    return {
      status: brokerUp && journalHealth.up ? 'ok' : 'degraded',
      store: config.store.id,
      uptimeSec: Math.round((clock.now() - startedAt) / 1000),
      broker: brokerUp ? 'up' : 'down',
      journal: journalSummary(journalHealth),
      // unauthenticated: silent alarms (robbery, docs/requirements.md#robbery) must not show here
      openAlarms: domain.alarms.list().filter((a) => !a.silent).length,
      ...(bridge ? { central: bridge.status() } : {}),
      ...(configStatus ? { config: configStatus() } : {}),
    }
  }
}

function journalSummary(h: JournalHealth): JournalStatus {
  return h.up
    ? { state: 'up' }
    : {
        state: 'down',
        reason: h.reason ?? 'unknown',
        memoryOnly: h.memoryOnly,
        pendingWrites: h.pending,
        lostWrites: h.lostTotal,
      }
}
