import * as common from '@grafana/grafana-foundation-sdk/common'
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard'
import { rows, series } from './influxQuery.js'
import { at, barsPanel, hideTimeColumn, tablePanel, thresholds, timeseriesPanel } from './panels.js'

/**
 * The waiting-time target (docs/requirements.md#queue: 排队等候时长 ≤ 10 分钟), min. The default of
 * `rules.queue.waitTargetMin`; a store that changed it changes it here too.
 */
const TARGET_MIN = 10
/** Days and hours as the stores count them (the default `store.timeZone`). */
const TZ = "tz('Asia/Shanghai')"
/** The queue devices' readings in the selected stores and time range. */
const QUEUES = `"sensor" WHERE "store" =~ /^$store$/ AND "type" = 'queue' AND $timeFilter`

/**
 * The queue panels of the store overview (docs/requirements.md#queue): the longest wait against
 * the target, the time over it per day, the peak hours, and each queue now. They start at row `y`
 * and take 16 rows; ids from `firstId`.
 */
export function withQueuePanels(
  board: dashboard.DashboardBuilder,
  firstId: number,
  y: number,
): dashboard.DashboardBuilder {
  const panels = [
    timeseriesPanel(firstId, 'Queue: longest wait', at(0, y, 12, 8))
      .description(`The longest wait each queue reported (sensor.wait_min), against the ${TARGET_MIN} min target.`)
      .unit('m')
      .thresholds(thresholds('green', [TARGET_MIN, 'red']))
      .thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Line))
      .withTarget(
        series(
          'A',
          `SELECT max("wait_min") FROM ${QUEUES} GROUP BY time($__interval), "store", "device" fill(none)`,
          '$tag_store $tag_device',
        ),
      ),
    barsPanel(firstId + 1, 'Queue: minutes over target per day', at(12, y, 12, 8))
      .description(
        `Per queue and day (store time), the minutes whose last report said the longest wait was over ${TARGET_MIN} min; a minute without a report keeps the one before.`,
      )
      .interval('1d')
      .withTarget(
        series(
          'A',
          `SELECT count("wait") AS "minutes over target" FROM (SELECT last("wait_min") AS "wait" FROM ${QUEUES} GROUP BY time(1m), "store", "device" fill(previous)) WHERE "wait" > ${TARGET_MIN} AND $timeFilter GROUP BY time(1d), "store", "device" ${TZ}`,
          '$tag_store $tag_device',
        ),
      ),
    barsPanel(firstId + 2, 'Queue: peak hours', at(0, y + 8, 12, 8))
      .description(
        'Per hour (store time), the most customers waiting at once, all queues of a store together: the busy hours to staff more counters for.',
      )
      .interval('1h')
      .withTarget(
        series(
          'A',
          `SELECT sum("waiting") AS "waiting" FROM (SELECT max("waiting") AS "waiting" FROM ${QUEUES} GROUP BY time(1h), "store", "device" ${TZ}) WHERE $timeFilter GROUP BY time(1h), "store" ${TZ}`,
          '$tag_store',
        ),
      ),
    tablePanel(firstId + 3, 'Queues now', at(12, y + 8, 12, 8))
      .description('What each queue last reported: customers waiting, longest wait, counters open.')
      .overrideByName('longest wait', [{ id: 'unit', value: 'm' }])
      .withTransformation(hideTimeColumn())
      .withTarget(
        rows(
          'A',
          `SELECT last("waiting") AS "waiting", last("wait_min") AS "longest wait", last("counters_open") AS "counters open" FROM ${QUEUES} GROUP BY "store", "zone", "device"`,
        ),
      ),
  ]
  return panels.reduce((b, panel) => b.withPanel(panel), board)
}
