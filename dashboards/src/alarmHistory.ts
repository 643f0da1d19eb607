import type * as bargauge from '@grafana/grafana-foundation-sdk/bargauge'
import * as common from '@grafana/grafana-foundation-sdk/common'
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard'
import { storeguardDashboard } from './dashboard.js'
import { rows, series } from './influxQuery.js'
import {
  at,
  barGaugePanel,
  barsPanel,
  hideTimeColumn,
  pointsPanel,
  sortBy,
  stacking,
  statPanel,
  tablePanel,
  thresholds,
} from './panels.js'

/** The alarm events of one action (`raised`, `chattering`, `escalated`) in the selected stores and time range. */
const events = (action: string): string =>
  `"alarm" WHERE "store" =~ /^$store$/ AND "action" = '${action}' AND $timeFilter`

/** Time to acknowledge, mean or 90th percentile: orange past a minute, red past five. */
const ACK_TARGETS = (): dashboard.ThresholdsConfigBuilder => thresholds('green', [60, 'orange'], [300, 'red'])

/** Alarms raised in the time range, one bar per value of `tag`. */
function raisedBy(id: number, tag: string, gridPos: dashboard.GridPos): bargauge.PanelBuilder {
  return barGaugePanel(id, `Raised by ${tag}`, gridPos).withTarget(
    series('A', `SELECT count("alarm_id") FROM ${events('raised')} GROUP BY "${tag}"`, `$tag_${tag}`),
  )
}

/**
 * Alarm-management KPIs over the time range (docs/standards.md: ISA-18.2, EEMUA 191): how
 * many alarms, of which kind, the peak rate, chattering inputs and time to acknowledge.
 */
export function alarmHistory(): dashboard.DashboardBuilder {
  return storeguardDashboard({
    uid: 'storeguard-alarm-history',
    title: 'StoreGuard · Alarm history',
    description:
      'Alarm KPIs (ISA-18.2 / EEMUA 191): alarm rate, kinds and severities, chattering inputs, time to acknowledge.',
    refresh: '1m',
    from: '24h',
  })
    .withPanel(
      statPanel(1, 'Alarms raised', at(0, 0, 4, 4)).withTarget(
        series('A', `SELECT count("alarm_id") AS "raised" FROM ${events('raised')}`),
      ),
    )
    .withPanel(
      statPanel(2, 'Mean time to acknowledge', at(4, 0, 4, 4))
        .description('From raised to acknowledged (alarm.ack_sec of each acknowledgement).')
        .unit('s')
        .thresholds(ACK_TARGETS())
        .withTarget(
          series('A', `SELECT mean("ack_sec") AS "mean" FROM "alarm" WHERE "store" =~ /^$store$/ AND $timeFilter`),
        ),
    )
    .withPanel(
      statPanel(3, '90th percentile time to acknowledge', at(8, 0, 4, 4))
        .unit('s')
        .thresholds(ACK_TARGETS())
        .withTarget(
          series(
            'A',
            `SELECT percentile("ack_sec", 90) AS "p90" FROM "alarm" WHERE "store" =~ /^$store$/ AND $timeFilter`,
          ),
        ),
    )
    .withPanel(
      statPanel(4, 'Chattering episodes', at(12, 0, 4, 4))
        .description('Inputs suppressed as chattering (≥ 3 raise/clear cycles a minute).')
        .thresholds(thresholds('green', [1, 'orange']))
        .withTarget(series('A', `SELECT count("alarm_id") AS "chattering" FROM ${events('chattering')}`)),
    )
    .withPanel(
      statPanel(5, 'Escalations', at(16, 0, 4, 4))
        .thresholds(thresholds('green', [1, 'orange']))
        .withTarget(series('A', `SELECT count("alarm_id") AS "escalations" FROM ${events('escalated')}`)),
    )
    .withPanel(
      statPanel(6, 'Peak alarms per 10 min', at(20, 0, 4, 4))
        .description('EEMUA 191: more than 10 alarms in 10 minutes is a flood an operator cannot handle.')
        .thresholds(thresholds('green', [5, 'orange'], [10, 'red']))
        .withTarget(
          series(
            'A',
            `SELECT max("raised") AS "peak" FROM (SELECT count("alarm_id") AS "raised" FROM ${events('raised')} GROUP BY time(10m))`,
          ),
        ),
    )
    .withPanel(
      barsPanel(7, 'Alarms per 10 min, by kind', at(0, 4, 24, 8))
        .stacking(stacking(common.StackingMode.Normal))
        .withTarget(
          series(
            'A',
            `SELECT count("alarm_id") FROM ${events('raised')} GROUP BY time(10m), "kind" fill(0)`,
            '$tag_kind',
          ),
        ),
    )
    .withPanel(raisedBy(8, 'kind', at(0, 12, 8, 8)))
    .withPanel(raisedBy(9, 'severity', at(8, 12, 8, 8)))
    .withPanel(
      tablePanel(10, 'Raised by store, kind and severity', at(16, 12, 8, 8))
        .sortBy(sortBy('raised', true))
        .withTransformation(hideTimeColumn())
        .withTarget(
          rows(
            'A',
            `SELECT count("alarm_id") AS "raised" FROM ${events('raised')} GROUP BY "store", "kind", "severity"`,
          ),
        ),
    )
    .withPanel(
      pointsPanel(11, 'Time to acknowledge', at(0, 20, 12, 8))
        .description('Each acknowledgement: seconds from raised to acknowledged, by kind.')
        .unit('s')
        .withTarget(
          series(
            'A',
            `SELECT mean("ack_sec") FROM "alarm" WHERE "store" =~ /^$store$/ AND $timeFilter GROUP BY time($__interval), "kind" fill(none)`,
            '$tag_kind',
          ),
        ),
    )
    .withPanel(
      tablePanel(12, 'Time to acknowledge by kind and severity', at(12, 20, 12, 8))
        .overrideByName('mean', [{ id: 'unit', value: 's' }])
        .overrideByName('median', [{ id: 'unit', value: 's' }])
        .overrideByName('max', [{ id: 'unit', value: 's' }])
        .sortBy(sortBy('mean', true))
        .withTransformation(hideTimeColumn())
        .withTarget(
          rows(
            'A',
            `SELECT count("ack_sec") AS "acknowledged", mean("ack_sec") AS "mean", median("ack_sec") AS "median", max("ack_sec") AS "max" FROM "alarm" WHERE "store" =~ /^$store$/ AND $timeFilter GROUP BY "kind", "severity"`,
          ),
        ),
    )
    .withPanel(
      barsPanel(13, 'Chattering inputs', at(0, 28, 12, 8))
        .description(
          'Chattering episodes per device: an input flapping faster than a person can handle is suppressed and reported once.',
        )
        .withTarget(
          series(
            'A',
            `SELECT count("alarm_id") FROM ${events('chattering')} GROUP BY time($__interval), "store", "device" fill(none)`,
            '$tag_store $tag_device',
          ),
        ),
    )
    .withPanel(
      tablePanel(14, 'Chattering devices', at(12, 28, 12, 8))
        .sortBy(sortBy('episodes', true))
        .withTransformation(hideTimeColumn())
        .withTarget(
          rows(
            'A',
            `SELECT count("alarm_id") AS "episodes" FROM ${events('chattering')} GROUP BY "store", "kind", "device", "zone"`,
          ),
        ),
    )
    .withPanel(
      tablePanel(15, 'Alarm log', at(0, 36, 24, 10))
        .description('Every alarm state change in the time range, newest first.')
        .overrideByName('ack_sec', [{ id: 'unit', value: 's' }])
        .withTarget(
          rows(
            'A',
            `SELECT "store", "kind", "severity", "device", "zone", "action", "state", "escalation_level", "ack_sec", "silent", "alarm_id" FROM "alarm" WHERE "store" =~ /^$store$/ AND $timeFilter ORDER BY time DESC LIMIT 1000`,
          ),
        ),
    )
}
