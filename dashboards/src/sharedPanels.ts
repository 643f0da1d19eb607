import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard'
import type * as stat from '@grafana/grafana-foundation-sdk/stat'
import { series } from './influxQuery.js'
import { statPanel, thresholds } from './panels.js'

/**
 * The panels and queries more than one dashboard shows. They are built here once so that a
 * panel that means the same thing on two dashboards cannot drift apart; each dashboard adds
 * only what it says differently (a description aimed at its readers) with the builder's methods.
 */

/**
 * Each alarm condition (store + kind + device + zone) as of its last event in the raw retention
 * (30 days): "open now" panels read this, whatever the time range. Severity is not grouped on:
 * it changes when an alarm escalates.
 */
export const LAST_ALARM_EVENT =
  '(SELECT last("open") AS "open", last("state") AS "state", last("alarm_id") AS "alarm_id", last("escalation_level") AS "escalation_level", last("silent") AS "silent" FROM "alarm" WHERE "store" =~ /^$store$/ AND time > now() - 30d GROUP BY "store", "kind", "device", "zone")'

/**
 * Each terminal's ticket as of its last event in the raw retention (30 days): the "now"
 * panels read this, whatever the time range (dashboards/README.md, "What the panels mean").
 */
export const LAST_TICKET_EVENT =
  '(SELECT last("open") AS "open", last("ticket_id") AS "ticket_id", last("status") AS "status", last("due_in_sec") AS "due_in_sec" FROM "ticket" WHERE "store" =~ /^$store$/ AND time > now() - 30d GROUP BY "store", "device", "zone")'

/**
 * `agg` over the last value of `field` in each `groupBy` set: one number over many stores
 * counts every gateway or device once, however often it wrote.
 */
function ofLastValues(
  agg: string,
  field: string,
  alias: string,
  measurement: string,
  range: string,
  groupBy: string,
): string {
  return `SELECT ${agg}("${field}") AS "${alias}" FROM (SELECT last("${field}") AS "${field}" FROM "${measurement}" WHERE "store" =~ /^$store$/ AND ${range} GROUP BY ${groupBy})`
}

/** `agg` over each gateway's last `field` (the `gateway` measurement, one series per store). */
export function acrossGateways(agg: string, field: string, alias: string, range = '$timeFilter'): string {
  return ofLastValues(agg, field, alias, 'gateway', range, '"store"')
}

/** `agg` over each device's last `field` in the time range (the `device_status` measurement). */
export function acrossDevices(agg: string, field: string, alias: string): string {
  return ofLastValues(agg, field, alias, 'device_status', '$timeFilter', '"store", "device"')
}

/** Gateways that wrote their health in the last 5 minutes; red at none. */
export function gatewaysReporting(id: number, gridPos: dashboard.GridPos, description: string): stat.PanelBuilder {
  return statPanel(id, 'Gateways reporting', gridPos)
    .description(description)
    .thresholds(thresholds('red', [1, 'green']))
    .withTarget(series('A', acrossGateways('count', 'uptime_sec', 'gateways', 'time > now() - 5m')))
}

/** Readings per second over the selected stores, from each gateway's last sample. */
export function readingsPerSecond(id: number, gridPos: dashboard.GridPos): stat.PanelBuilder {
  return statPanel(id, 'Readings / s', gridPos)
    .decimals(1)
    .withTarget(series('A', acrossGateways('sum', 'readings_per_sec', 'readings/s')))
}

/** Devices whose last status in the time range is fault; orange from one. */
export function devicesInFault(id: number, title: string, gridPos: dashboard.GridPos): stat.PanelBuilder {
  return statPanel(id, title, gridPos)
    .thresholds(thresholds('green', [1, 'orange']))
    .withTarget(series('A', acrossDevices('sum', 'fault', 'in fault')))
}

/** The lowest battery charge any device last reported: red below 15 %, orange below 30 %. */
export function lowestBattery(id: number, gridPos: dashboard.GridPos): stat.PanelBuilder {
  return statPanel(id, 'Lowest battery', gridPos)
    .unit('percent')
    .thresholds(thresholds('red', [15, 'orange'], [30, 'green']))
    .withTarget(series('A', acrossDevices('min', 'battery', 'battery')))
}
