import * as common from '@grafana/grafana-foundation-sdk/common'
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard'
import { storeguardDashboard } from './dashboard.js'
import { type InfluxQueryBuilder, rows, series } from './influxQuery.js'
import {
  at,
  barsPanel,
  COLOURED_CELL,
  hideTimeColumn,
  sortBy,
  stacking,
  statPanel,
  tablePanel,
  thresholds,
  timeseriesPanel,
} from './panels.js'
import { acrossDevices, devicesInFault, lowestBattery } from './sharedPanels.js'

/** The mean of a `device_status` field per time bucket, one series per device. */
function perDevice(field: string): InfluxQueryBuilder {
  return series(
    'A',
    `SELECT mean("${field}") FROM "device_status" WHERE "store" =~ /^$store$/ AND $timeFilter GROUP BY time($__interval), "store", "device" fill(none)`,
    '$tag_store $tag_device',
  )
}

/** Supervision of every device (docs/requirements.md#supervision): heard from, battery, link quality, faults. */
export function deviceHealth(): dashboard.DashboardBuilder {
  return storeguardDashboard({
    uid: 'storeguard-device-health',
    title: 'StoreGuard · Device health',
    description:
      'Supervision of every device: heard from, battery, Zigbee link quality, faults (silent, comm, tamper, battery).',
    refresh: '1m',
    from: '6h',
  })
    .withPanel(
      statPanel(1, 'Devices', at(0, 0, 4, 4)).withTarget(series('A', acrossDevices('count', 'fault', 'devices'))),
    )
    .withPanel(
      statPanel(2, 'Heard from', at(4, 0, 4, 4))
        .description('Devices the gateway has heard from since it started (device_status.online).')
        .withTarget(series('A', acrossDevices('sum', 'online', 'online'))),
    )
    .withPanel(
      statPanel(3, 'Never heard from', at(8, 0, 4, 4))
        .thresholds(thresholds('green', [1, 'red']))
        .withTarget(series('A', `${acrossDevices('count', 'online', 'offline')} WHERE "online" = 0`)),
    )
    .withPanel(devicesInFault(4, 'In fault', at(12, 0, 4, 4)))
    .withPanel(lowestBattery(5, at(16, 0, 4, 4)))
    .withPanel(
      statPanel(6, 'Weakest link', at(20, 0, 4, 4))
        .description('The lowest Zigbee link quality (0–255) any device last reported.')
        .thresholds(thresholds('red', [30, 'orange'], [60, 'green']))
        .withTarget(series('A', acrossDevices('min', 'linkquality', 'link quality'))),
    )
    .withPanel(
      tablePanel(7, 'Devices in fault', at(0, 4, 24, 7))
        .description(
          'Devices whose last status is fault, with why (silent = not heard from in time, comm = failing polls, tamper, battery).',
        )
        .overrideByName('last_seen_age_sec', [{ id: 'unit', value: 's' }])
        .overrideByName('battery', [{ id: 'unit', value: 'percent' }])
        .withTransformation(hideTimeColumn())
        .withTarget(
          rows(
            'A',
            `SELECT "store", "zone", "device", "type", "transport", "reasons", "last_seen_age_sec", "battery" FROM (SELECT last("fault") AS "fault", last("online") AS "online", last("reasons") AS "reasons", last("last_seen_age_sec") AS "last_seen_age_sec", last("battery") AS "battery" FROM "device_status" WHERE "store" =~ /^$store$/ AND $timeFilter GROUP BY "store", "zone", "device", "type", "transport") WHERE "fault" = 1`,
          ),
        ),
    )
    .withPanel(
      barsPanel(8, 'Devices in fault, by type', at(0, 11, 12, 8))
        .interval('1m')
        .stacking(stacking(common.StackingMode.Normal))
        .withTarget(
          series(
            'A',
            `SELECT sum("fault") FROM (SELECT max("fault") AS "fault" FROM "device_status" WHERE "store" =~ /^$store$/ AND $timeFilter GROUP BY time($__interval), "store", "device", "type") WHERE $timeFilter GROUP BY time($__interval), "type" fill(none)`,
            '$tag_type',
          ),
        ),
    )
    .withPanel(
      timeseriesPanel(9, 'Devices heard from', at(12, 11, 12, 8))
        .interval('1m')
        .withTarget(
          series(
            'A',
            `SELECT sum("online") FROM (SELECT min("online") AS "online" FROM "device_status" WHERE "store" =~ /^$store$/ AND $timeFilter GROUP BY time($__interval), "store", "device") WHERE $timeFilter GROUP BY time($__interval), "store" fill(none)`,
            '$tag_store',
          ),
        ),
    )
    .withPanel(
      timeseriesPanel(10, 'Battery', at(0, 19, 12, 8))
        .interval('1m')
        .unit('percent')
        .max(100)
        .thresholds(thresholds('red', [15, 'orange'], [30, 'green']))
        .thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Line))
        .withTarget(perDevice('battery')),
    )
    .withPanel(
      timeseriesPanel(11, 'Link quality', at(12, 19, 12, 8))
        .description('Zigbee link quality (LQI 0–255).')
        .interval('1m')
        .max(255)
        .withTarget(perDevice('linkquality')),
    )
    .withPanel(
      tablePanel(12, 'All devices', at(0, 27, 24, 10))
        .overrideByName('last seen', [{ id: 'unit', value: 's' }])
        .overrideByName('battery', [{ id: 'unit', value: 'percent' }])
        .overrideByName('status', [
          {
            id: 'mappings',
            value: [
              { type: 'value', options: { ok: { color: 'green', index: 0 }, fault: { color: 'red', index: 1 } } },
            ],
          },
          COLOURED_CELL,
        ])
        .sortBy(sortBy('status', false))
        .withTransformation(hideTimeColumn())
        .withTarget(
          rows(
            'A',
            `SELECT last("status") AS "status", last("online") AS "heard from", last("last_seen_age_sec") AS "last seen", last("battery") AS "battery", last("linkquality") AS "link quality", last("reasons") AS "reasons" FROM "device_status" WHERE "store" =~ /^$store$/ AND $timeFilter GROUP BY "store", "zone", "device", "type", "transport"`,
          ),
        ),
    )
}
