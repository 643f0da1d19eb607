import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client'
import { NOTIFICATION_STATUSES, type NotificationStatus } from './outbox/notification.js'

/** Prometheus metrics of one gateway (docs/requirements.md#http-api `GET /metrics`). */
export interface GatewayMetrics {
  readonly registry: Registry
  readonly mqttMessagesIn: Counter<'source'>
  readonly readings: Counter<'type'>
  readonly rejected: Counter<'reason'>
  /** Device strings that were stored only after cleaning; the message itself was accepted. */
  readonly cleanedStrings: Counter<'reason'>
  readonly alarmTransitions: Counter<'kind' | 'action'>
  readonly openAlarms: Gauge<'kind' | 'state'>
  /**
   * Silent alarms (robbery) are counted apart, in a registry of their own
   * that `/metrics` serves only to roles that may see them: a robbery must
   * not show up as a number on a viewer's scrape either.
   */
  readonly silentRegistry: Registry
  readonly silentAlarmTransitions: Counter<'kind' | 'action'>
  readonly openSilentAlarms: Gauge<'kind' | 'state'>
  readonly brokerRefused: Counter<'reason'>
  /** QoS 1 messages that waited for one of their client's in-flight slots (`broker.maxInflight`). */
  readonly brokerInflightWaits: Counter
  readonly calendarYearWithoutData: Gauge<'year'>
}

export function createMetrics(): GatewayMetrics {
  const registry = new Registry()
  const silentRegistry = new Registry()
  // event-loop lag, heap, CPU: the defaults include nodejs_eventloop_lag_seconds.
  collectDefaultMetrics({ register: registry, prefix: 'storeguard_' })
  return {
    registry,
    mqttMessagesIn: new Counter({
      name: 'storeguard_mqtt_messages_in_total',
      help: 'MQTT messages received on device topics',
      labelNames: ['source'],
      registers: [registry],
    }),
    readings: new Counter({
      name: 'storeguard_readings_total',
      help: 'normalized readings by device type',
      labelNames: ['type'],
      registers: [registry],
    }),
    rejected: new Counter({
      name: 'storeguard_rejected_messages_total',
      help: 'device messages dropped, by reason',
      labelNames: ['reason'],
      registers: [registry],
    }),
    cleanedStrings: new Counter({
      name: 'storeguard_cleaned_strings_total',
      help: 'device strings accepted after cleaning (control characters, bidi overrides, lone surrogates, length), by what was cleaned',
      labelNames: ['reason'],
      registers: [registry],
    }),
    alarmTransitions: new Counter({
      name: 'storeguard_alarm_transitions_total',
      help: 'alarm state changes by kind and action, silent alarms left out',
      labelNames: ['kind', 'action'],
      registers: [registry],
    }),
    openAlarms: new Gauge({
      name: 'storeguard_open_alarms',
      help: 'open alarms by kind and state, silent alarms left out',
      labelNames: ['kind', 'state'],
      registers: [registry],
    }),
    silentRegistry,
    silentAlarmTransitions: new Counter({
      name: 'storeguard_silent_alarm_transitions_total',
      help: 'silent alarm (robbery) state changes by kind and action; manager and admin tokens only',
      labelNames: ['kind', 'action'],
      registers: [silentRegistry],
    }),
    openSilentAlarms: new Gauge({
      name: 'storeguard_open_silent_alarms',
      help: 'open silent alarms (robbery) by kind and state; manager and admin tokens only',
      labelNames: ['kind', 'state'],
      registers: [silentRegistry],
    }),
    calendarYearWithoutData: new Gauge({
      name: 'storeguard_calendar_year_without_data',
      help: '1 for each year the cn-workdays calendar has no holiday data for (Monday–Friday fallback)',
      labelNames: ['year'],
      registers: [registry],
    }),
    brokerRefused: new Counter({
      name: 'storeguard_broker_refused_total',
      help: 'MQTT connections, publishes and subscriptions refused, by reason',
      labelNames: ['reason'],
      registers: [registry],
    }),
    brokerInflightWaits: new Counter({
      name: 'storeguard_broker_inflight_waits_total',
      help: "QoS 1 messages that waited for one of their client's in-flight slots (broker.maxInflight)",
      registers: [registry],
    }),
  }
}

/** What the notification gauges read on each scrape: the outbox's `stats()`. */
export interface NotificationStatsSource {
  stats(): Readonly<Record<NotificationStatus, number>> & { readonly oldestPendingAgeMs: number | null }
}

/**
 * docs/requirements.md#durable-outbox, delivery status in the metrics: `storeguard_notifications{status}`
 * and `storeguard_notifications_oldest_pending_seconds` (0 when nothing is
 * pending), read from the outbox when Prometheus scrapes, so they are never stale.
 */
export function registerNotificationMetrics(registry: Registry, outbox: NotificationStatsSource): void {
  for (const name of ['storeguard_notifications', 'storeguard_notifications_oldest_pending_seconds']) {
    registry.removeSingleMetric(name)
  }
  new Gauge({
    name: 'storeguard_notifications',
    help: 'notifications in the durable outbox, by status',
    labelNames: ['status'],
    registers: [registry],
    collect() {
      const stats = outbox.stats()
      for (const status of NOTIFICATION_STATUSES) this.set({ status }, stats[status])
    },
  })
  new Gauge({
    name: 'storeguard_notifications_oldest_pending_seconds',
    help: 'age of the oldest notification not yet delivered, seconds; 0 when none is pending',
    registers: [registry],
    collect() {
      this.set((outbox.stats().oldestPendingAgeMs ?? 0) / 1000)
    },
  })
}

/**
 * A counter on `registry` that several servers built on one registry share
 * (tests build more than one): the first creates it, the others reuse it,
 * where prom-client would refuse a second registration of the name.
 */
export function sharedCounter<L extends string>(
  registry: Registry,
  config: { readonly name: string; readonly help: string; readonly labelNames: readonly L[] },
): Counter<L> {
  const existing = registry.getSingleMetric(config.name)
  if (existing) return existing as Counter<L>
  return new Counter({ ...config, registers: [registry] })
}
