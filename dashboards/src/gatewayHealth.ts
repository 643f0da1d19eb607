import * as common from '@grafana/grafana-foundation-sdk/common'
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard'
import { storeguardDashboard } from './dashboard.js'
import { type InfluxQueryBuilder, rows, series } from './influxQuery.js'
import { at, hideTimeColumn, statPanel, tablePanel, thresholds, timeseriesPanel } from './panels.js'
import { acrossGateways, gatewaysReporting, readingsPerSecond } from './sharedPanels.js'

/** `select` over the `gateway` measurement per time bucket, one series per store. */
function perGateway(refId: string, select: string, alias = '$tag_store'): InfluxQueryBuilder {
  return series(
    refId,
    `SELECT ${select} FROM "gateway" WHERE "store" =~ /^$store$/ AND $timeFilter GROUP BY time($__interval), "store" fill(none)`,
    alias,
  )
}

/** Each store gateway's own health, written every 10 s (the `gateway` measurement, docs/requirements.md#influxdb). */
export function gatewayHealth(): dashboard.DashboardBuilder {
  return storeguardDashboard({
    uid: 'storeguard-gateway-health',
    title: 'StoreGuard · Gateway health',
    description:
      "Each store gateway's own health (the gateway measurement, every 10 s): ingest, InfluxDB disk buffer, write latency, event loop, memory.",
    refresh: '30s',
    from: '3h',
  })
    .withPanel(gatewaysReporting(1, at(0, 0, 4, 4), 'Gateways that wrote their health in the last 5 minutes.'))
    .withPanel(
      statPanel(2, 'Buffered points', at(4, 0, 4, 4))
        .description('Points waiting in the disk buffers for InfluxDB (last sample of each gateway, summed).')
        .thresholds(thresholds('green', [1, 'orange'], [100000, 'red']))
        .withTarget(series('A', acrossGateways('sum', 'buffer_points', 'buffered'))),
    )
    .withPanel(
      statPanel(3, 'Worst write latency', at(8, 0, 4, 4))
        .unit('ms')
        .thresholds(thresholds('green', [500, 'orange'], [2000, 'red']))
        .withTarget(series('A', acrossGateways('max', 'write_latency_ms', 'latency'))),
    )
    .withPanel(
      statPanel(4, 'Worst event-loop lag', at(12, 0, 4, 4))
        .unit('ms')
        .thresholds(thresholds('green', [20, 'orange'], [100, 'red']))
        .withTarget(series('A', acrossGateways('max', 'event_loop_lag_ms', 'lag'))),
    )
    .withPanel(
      statPanel(5, 'Rejected messages', at(16, 0, 4, 4))
        .description(
          'Malformed, unknown or oversized device messages rejected in the time range (gateway.rejected is a running total).',
        )
        .thresholds(thresholds('green', [1, 'orange']))
        .withTarget(
          series(
            'A',
            `SELECT sum("rejected") AS "rejected" FROM (SELECT spread("rejected") AS "rejected" FROM "gateway" WHERE "store" =~ /^$store$/ AND $timeFilter GROUP BY "store")`,
          ),
        ),
    )
    .withPanel(readingsPerSecond(6, at(20, 0, 4, 4)))
    .withPanel(
      timeseriesPanel(7, 'Readings per second', at(0, 4, 12, 8)).withTarget(
        perGateway('A', 'mean("readings_per_sec")'),
      ),
    )
    .withPanel(
      timeseriesPanel(8, 'Messages in and rejected per second', at(12, 4, 12, 8))
        .description('Rates of the gateway.messages_in and gateway.rejected running totals.')
        .unit('reqps')
        .withTarget(perGateway('A', 'non_negative_derivative(max("messages_in"), 1s)', '$tag_store messages in'))
        .withTarget(perGateway('B', 'non_negative_derivative(max("rejected"), 1s)', '$tag_store rejected')),
    )
    .withPanel(
      timeseriesPanel(9, 'Disk buffer: points waiting', at(0, 12, 12, 8))
        .description('Store-and-forward: points kept on disk while InfluxDB is unreachable, replayed oldest first.')
        .withTarget(perGateway('A', 'max("buffer_points")')),
    )
    .withPanel(
      timeseriesPanel(10, 'Disk buffer: oldest point age', at(12, 12, 12, 8))
        .unit('s')
        .withTarget(perGateway('A', 'max("buffer_age_sec")')),
    )
    .withPanel(
      timeseriesPanel(11, 'InfluxDB write latency', at(0, 20, 12, 8))
        .unit('ms')
        .withTarget(perGateway('A', 'mean("write_latency_ms")', '$tag_store mean'))
        .withTarget(perGateway('B', 'max("write_latency_ms")', '$tag_store max')),
    )
    .withPanel(
      timeseriesPanel(12, 'Event-loop lag', at(12, 20, 12, 8))
        .description('Alarm latency depends on it (p99 ≤ 20 ms from reading to alarm).')
        .unit('ms')
        .thresholds(thresholds('green', [20, 'red']))
        .thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Line))
        .withTarget(perGateway('A', 'max("event_loop_lag_ms")')),
    )
    .withPanel(
      timeseriesPanel(13, 'Memory', at(0, 28, 12, 8))
        .unit('decmbytes')
        .withTarget(perGateway('A', 'mean("heap_used_mb")', '$tag_store heap used'))
        .withTarget(perGateway('B', 'mean("rss_mb")', '$tag_store rss')),
    )
    .withPanel(timeseriesPanel(14, 'Open alarms', at(12, 28, 12, 8)).withTarget(perGateway('A', 'max("open_alarms")')))
    .withPanel(
      timeseriesPanel(16, 'Central bridge: messages waiting', at(0, 36, 24, 8))
        .description(
          "Upstream bridge (chains only): alarms, events, notices and tickets committed to the gateway's queue and not yet acknowledged by the central broker. It grows while the centre is unreachable and drains when it is back; gateways without a bridge show nothing.",
        )
        .withTarget(perGateway('A', 'max("central_queued")')),
    )
    .withPanel(
      tablePanel(15, 'Gateways', at(0, 44, 24, 8))
        .overrideByName('uptime', [{ id: 'unit', value: 's' }])
        .overrideByName('buffer age', [{ id: 'unit', value: 's' }])
        .overrideByName('write latency', [{ id: 'unit', value: 'ms' }])
        .overrideByName('loop lag', [{ id: 'unit', value: 'ms' }])
        .overrideByName('heap', [{ id: 'unit', value: 'decmbytes' }])
        .overrideByName('rss', [{ id: 'unit', value: 'decmbytes' }])
        .withTransformation(hideTimeColumn())
        .withTarget(
          rows(
            'A',
            `SELECT last("uptime_sec") AS "uptime", last("readings_per_sec") AS "readings/s", last("open_alarms") AS "open alarms", last("buffer_points") AS "buffered", last("buffer_age_sec") AS "buffer age", last("write_latency_ms") AS "write latency", last("event_loop_lag_ms") AS "loop lag", last("heap_used_mb") AS "heap", last("rss_mb") AS "rss", last("rejected") AS "rejected (total)", last("central_queued") AS "central queue" FROM "gateway" WHERE "store" =~ /^$store$/ AND $timeFilter GROUP BY "store"`,
          ),
        ),
    )
}
