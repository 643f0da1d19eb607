import * as common from '@grafana/grafana-foundation-sdk/common'
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard'
import { storeguardDashboard } from './dashboard.js'
import { rows, series } from './influxQuery.js'
import { at, hideTimeColumn, statPanel, tablePanel, thresholds, timeseriesPanel } from './panels.js'

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
    .withPanel(
      statPanel(1, 'Gateways reporting', at(0, 0, 4, 4))
        .description('Gateways that wrote their health in the last 5 minutes.')
        .thresholds(thresholds('red', [1, 'green']))
        .withTarget(
          series(
            'A',
            `SELECT count("uptime_sec") AS "gateways" FROM (SELECT last("uptime_sec") AS "uptime_sec" FROM "gateway" WHERE "store" =~ /^$store$/ AND time > now() - 5m GROUP BY "store")`,
          ),
        ),
    )
    .withPanel(
      statPanel(2, 'Buffered points', at(4, 0, 4, 4))
        .description('Points waiting in the disk buffers for InfluxDB (last sample of each gateway, summed).')
        .thresholds(thresholds('green', [1, 'orange'], [100000, 'red']))
        .withTarget(
          series(
            'A',
            `SELECT sum("buffer_points") AS "buffered" FROM (SELECT last("buffer_points") AS "buffer_points" FROM "gateway" WHERE "store" =~ /^$store$/ AND $timeFilter GROUP BY "store")`,
          ),
        ),
    )
    .withPanel(
      statPanel(3, 'Worst write latency', at(8, 0, 4, 4))
        .unit('ms')
        .thresholds(thresholds('green', [500, 'orange'], [2000, 'red']))
        .withTarget(
          series(
            'A',
            `SELECT max("write_latency_ms") AS "latency" FROM (SELECT last("write_latency_ms") AS "write_latency_ms" FROM "gateway" WHERE "store" =~ /^$store$/ AND $timeFilter GROUP BY "store")`,
          ),
        ),
    )
    .withPanel(
      statPanel(4, 'Worst event-loop lag', at(12, 0, 4, 4))
        .unit('ms')
        .thresholds(thresholds('green', [20, 'orange'], [100, 'red']))
        .withTarget(
          series(
            'A',
            `SELECT max("event_loop_lag_ms") AS "lag" FROM (SELECT last("event_loop_lag_ms") AS "event_loop_lag_ms" FROM "gateway" WHERE "store" =~ /^$store$/ AND $timeFilter GROUP BY "store")`,
          ),
        ),
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
    .withPanel(
      statPanel(6, 'Readings / s', at(20, 0, 4, 4))
        .decimals(1)
        .withTarget(
          series(
            'A',
            `SELECT sum("readings_per_sec") AS "readings/s" FROM (SELECT last("readings_per_sec") AS "readings_per_sec" FROM "gateway" WHERE "store" =~ /^$store$/ AND $timeFilter GROUP BY "store")`,
          ),
        ),
    )
    .withPanel(
      timeseriesPanel(7, 'Readings per second', at(0, 4, 12, 8)).withTarget(
        series(
          'A',
          `SELECT mean("readings_per_sec") FROM "gateway" WHERE "store" =~ /^$store$/ AND $timeFilter GROUP BY time($__interval), "store" fill(none)`,
          '$tag_store',
        ),
      ),
    )
    .withPanel(
      timeseriesPanel(8, 'Messages in and rejected per second', at(12, 4, 12, 8))
        .description('Rates of the gateway.messages_in and gateway.rejected running totals.')
        .unit('reqps')
        .withTarget(
          series(
            'A',
            `SELECT non_negative_derivative(max("messages_in"), 1s) FROM "gateway" WHERE "store" =~ /^$store$/ AND $timeFilter GROUP BY time($__interval), "store" fill(none)`,
            '$tag_store messages in',
          ),
        )
        .withTarget(
          series(
            'B',
            `SELECT non_negative_derivative(max("rejected"), 1s) FROM "gateway" WHERE "store" =~ /^$store$/ AND $timeFilter GROUP BY time($__interval), "store" fill(none)`,
            '$tag_store rejected',
          ),
        ),
    )
    .withPanel(
      timeseriesPanel(9, 'Disk buffer: points waiting', at(0, 12, 12, 8))
        .description('Store-and-forward: points kept on disk while InfluxDB is unreachable, replayed oldest first.')
        .withTarget(
          series(
            'A',
            `SELECT max("buffer_points") FROM "gateway" WHERE "store" =~ /^$store$/ AND $timeFilter GROUP BY time($__interval), "store" fill(none)`,
            '$tag_store',
          ),
        ),
    )
    .withPanel(
      timeseriesPanel(10, 'Disk buffer: oldest point age', at(12, 12, 12, 8))
        .unit('s')
        .withTarget(
          series(
            'A',
            `SELECT max("buffer_age_sec") FROM "gateway" WHERE "store" =~ /^$store$/ AND $timeFilter GROUP BY time($__interval), "store" fill(none)`,
            '$tag_store',
          ),
        ),
    )
    .withPanel(
      timeseriesPanel(11, 'InfluxDB write latency', at(0, 20, 12, 8))
        .unit('ms')
        .withTarget(
          series(
            'A',
            `SELECT mean("write_latency_ms") FROM "gateway" WHERE "store" =~ /^$store$/ AND $timeFilter GROUP BY time($__interval), "store" fill(none)`,
            '$tag_store mean',
          ),
        )
        .withTarget(
          series(
            'B',
            `SELECT max("write_latency_ms") FROM "gateway" WHERE "store" =~ /^$store$/ AND $timeFilter GROUP BY time($__interval), "store" fill(none)`,
            '$tag_store max',
          ),
        ),
    )
    .withPanel(
      timeseriesPanel(12, 'Event-loop lag', at(12, 20, 12, 8))
        .description('Alarm latency depends on it (p99 ≤ 20 ms from reading to alarm).')
        .unit('ms')
        .thresholds(thresholds('green', [20, 'red']))
        .thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Line))
        .withTarget(
          series(
            'A',
            `SELECT max("event_loop_lag_ms") FROM "gateway" WHERE "store" =~ /^$store$/ AND $timeFilter GROUP BY time($__interval), "store" fill(none)`,
            '$tag_store',
          ),
        ),
    )
    .withPanel(
      timeseriesPanel(13, 'Memory', at(0, 28, 12, 8))
        .unit('decmbytes')
        .withTarget(
          series(
            'A',
            `SELECT mean("heap_used_mb") FROM "gateway" WHERE "store" =~ /^$store$/ AND $timeFilter GROUP BY time($__interval), "store" fill(none)`,
            '$tag_store heap used',
          ),
        )
        .withTarget(
          series(
            'B',
            `SELECT mean("rss_mb") FROM "gateway" WHERE "store" =~ /^$store$/ AND $timeFilter GROUP BY time($__interval), "store" fill(none)`,
            '$tag_store rss',
          ),
        ),
    )
    .withPanel(
      timeseriesPanel(14, 'Open alarms', at(12, 28, 12, 8)).withTarget(
        series(
          'A',
          `SELECT max("open_alarms") FROM "gateway" WHERE "store" =~ /^$store$/ AND $timeFilter GROUP BY time($__interval), "store" fill(none)`,
          '$tag_store',
        ),
      ),
    )
    .withPanel(
      timeseriesPanel(16, 'Central bridge: messages waiting', at(0, 36, 24, 8))
        .description(
          "Upstream bridge (chains only): alarms, events, notices and tickets committed to the gateway's queue and not yet acknowledged by the central broker. It grows while the centre is unreachable and drains when it is back; gateways without a bridge show nothing.",
        )
        .withTarget(
          series(
            'A',
            `SELECT max("central_queued") FROM "gateway" WHERE "store" =~ /^$store$/ AND $timeFilter GROUP BY time($__interval), "store" fill(none)`,
            '$tag_store',
          ),
        ),
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
