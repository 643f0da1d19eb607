import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard'
import { storeguardDashboard } from './dashboard.js'
import { rows, series } from './influxQuery.js'
import {
  at,
  barGaugePanel,
  cellsColouredBy,
  hideTimeColumn,
  merge,
  sortBy,
  statPanel,
  tablePanel,
  thresholds,
  timeseriesPanel,
} from './panels.js'
import { withQueuePanels } from './queuePanels.js'
import {
  acrossGateways,
  devicesInFault,
  gatewaysReporting,
  LAST_ALARM_EVENT,
  LAST_TICKET_EVENT,
  lowestBattery,
  readingsPerSecond,
} from './sharedPanels.js'

/**
 * The facilities team's first screen (docs/requirements.md#users): what is wrong in the
 * selected stores now, their water levels and temperatures over the time range, and their
 * queues against the waiting-time target (docs/requirements.md#queue).
 */
export function storeOverview(): dashboard.DashboardBuilder {
  const board = storeguardDashboard({
    uid: 'storeguard-store-overview',
    title: 'StoreGuard · Store overview',
    description: 'Alarms open now, sensor values, zones and queues of the selected stores, for facilities teams.',
    refresh: '30s',
    from: '6h',
  })
    .withPanel(
      statPanel(1, 'Open alarms', at(0, 0, 4, 4))
        .description('Alarms open in the selected stores, as each gateway last reported it (gateway.open_alarms).')
        .thresholds(thresholds('green', [1, 'red']))
        .withTarget(series('A', acrossGateways('sum', 'open_alarms', 'open alarms'))),
    )
    .withPanel(
      devicesInFault(2, 'Devices in fault', at(4, 0, 4, 4)).description(
        'Devices whose last status in the time range is fault (silent, comm, tamper, battery).',
      ),
    )
    .withPanel(
      statPanel(3, 'Open repair tickets', at(8, 0, 4, 4))
        .description('Repair tickets not yet resolved or cancelled (last event of each terminal in 30 days).')
        .thresholds(thresholds('green', [1, 'orange']))
        .withTarget(series('A', `SELECT sum("open") AS "open tickets" FROM ${LAST_TICKET_EVENT}`)),
    )
    .withPanel(
      barGaugePanel(4, 'Alarms open now by kind', at(12, 0, 12, 8))
        .description(
          'Now, whatever the time range: the last event of each alarm in the last 30 days (the raw retention).',
        )
        .thresholds(thresholds('green', [1, 'red']))
        .withTarget(series('A', `SELECT sum("open") AS "open" FROM ${LAST_ALARM_EVENT} GROUP BY "kind"`, '$tag_kind')),
    )
    .withPanel(gatewaysReporting(5, at(0, 8, 4, 4), 'Stores whose gateway wrote its health in the last 5 minutes.'))
    .withPanel(
      readingsPerSecond(6, at(4, 8, 4, 4)).description(
        'Readings per second over the selected stores (last gateway sample of each).',
      ),
    )
    .withPanel(
      lowestBattery(7, at(8, 8, 4, 4)).description(
        'The lowest battery charge any battery-powered device last reported.',
      ),
    )
    .withPanel(
      tablePanel(8, 'Open alarms', at(0, 12, 24, 7))
        .description(
          'Now, whatever the time range: the last event of each alarm in the last 30 days (the raw retention). Severity is on the Alarm history dashboard.',
        )
        .overrideByName('state', cellsColouredBy('red'))
        .withTransformation(hideTimeColumn())
        .withTarget(
          rows(
            'A',
            `SELECT "store", "kind", "device", "zone", "state", "escalation_level", "silent", "alarm_id" FROM ${LAST_ALARM_EVENT} WHERE "open" = 1`,
          ),
        ),
    )
    .withPanel(
      timeseriesPanel(9, 'Water level', at(0, 19, 12, 8))
        .description('Water level sensors (sensor.level_cm).')
        .unit('suffix: cm')
        .withTarget(
          series(
            'A',
            `SELECT mean("level_cm") FROM "sensor" WHERE "store" =~ /^$store$/ AND "type" = 'water_level' AND $timeFilter GROUP BY time($__interval), "store", "zone", "device" fill(none)`,
            '$tag_store $tag_zone $tag_device',
          ),
        ),
    )
    .withPanel(
      timeseriesPanel(10, 'Temperature', at(12, 19, 12, 8), null)
        .description('Room temperature sensors and heat detectors (sensor.temperature).')
        .unit('celsius')
        .withTarget(
          series(
            'A',
            `SELECT mean("temperature") FROM "sensor" WHERE "store" =~ /^$store$/ AND "type" =~ /^(temperature|heat)$/ AND $timeFilter GROUP BY time($__interval), "store", "zone", "device" fill(none)`,
            '$tag_store $tag_zone $tag_device',
          ),
        ),
    )
    .withPanel(
      tablePanel(11, 'Zones', at(0, 27, 24, 9))
        .description(
          'Per zone: devices, devices in fault or never heard from, alarms open now, and the latest temperature, humidity and water level any of its sensors reported.',
        )
        .overrideByName('temperature', [{ id: 'unit', value: 'celsius' }])
        .overrideByName('humidity', [{ id: 'unit', value: 'humidity' }])
        .overrideByName('water level', [{ id: 'unit', value: 'suffix: cm' }])
        .overrideByName('open alarms', cellsColouredBy('transparent', [1, 'red']))
        .overrideByName('in fault', cellsColouredBy('transparent', [1, 'orange']))
        .sortBy(sortBy('open alarms', true))
        .withTransformation(hideTimeColumn())
        .withTransformation(merge())
        .withTarget(
          rows(
            'A',
            `SELECT count("fault") AS "devices", sum("fault") AS "in fault", sum("online") AS "heard from" FROM (SELECT last("fault") AS "fault", last("online") AS "online" FROM "device_status" WHERE "store" =~ /^$store$/ AND $timeFilter GROUP BY "store", "zone", "device") GROUP BY "store", "zone"`,
          ),
        )
        .withTarget(rows('B', `SELECT sum("open") AS "open alarms" FROM ${LAST_ALARM_EVENT} GROUP BY "store", "zone"`))
        .withTarget(
          rows(
            'C',
            `SELECT last("temperature") AS "temperature", last("humidity") AS "humidity", last("level_cm") AS "water level" FROM "sensor" WHERE "store" =~ /^$store$/ AND $timeFilter GROUP BY "store", "zone"`,
          ),
        ),
    )
  return withQueuePanels(board, 12, 36)
}
