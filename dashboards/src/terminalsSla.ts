import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard'
import * as expr from '@grafana/grafana-foundation-sdk/expr'
import { storeguardDashboard } from './dashboard.js'
import { EXPRESSION } from './datasource.js'
import { type InfluxQueryBuilder, rows, series } from './influxQuery.js'
import {
  at,
  barsPanel,
  COLOURED_CELL,
  cellsColouredBy,
  hideTimeColumn,
  pointsPanel,
  sortBy,
  statPanel,
  tablePanel,
  thresholds,
} from './panels.js'
import { LAST_TICKET_EVENT } from './sharedPanels.js'
import { slaPie, terminalStatus } from './terminalPanels.js'

const NOW =
  "Now, whatever the time range. due_in_sec is as of the ticket's last event (opened, reminders at 50 % / 80 %, breach)."

/** The ticket events of one action (`opened`, `resolved`, `breached`) in the selected stores and time range. */
const events = (action: string): string =>
  `"ticket" WHERE "store" =~ /^$store$/ AND "action" = '${action}' AND $timeFilter`

/** Tickets with one event per time bucket, named after it. */
function ticketsPer(refId: string, action: string): InfluxQueryBuilder {
  return series(refId, `SELECT count("ticket_id") FROM ${events(action)} GROUP BY time($__interval) fill(0)`, action)
}

/** Tickets resolved in the time range, and of those the ones resolved by their due time. */
const RESOLVED = events('resolved')
const MET = `${RESOLVED} AND "sla_met" = true`

/**
 * Repair tickets for self-service terminals against their 2-business-day SLA
 * (docs/requirements.md#repair-tickets): open, due soon, breached, time to repair, SLA met.
 */
export function terminalsSla(): dashboard.DashboardBuilder {
  return storeguardDashboard({
    uid: 'storeguard-terminals-sla',
    title: 'StoreGuard · Self-service terminals and repair SLA',
    description:
      'A faulty self-service terminal is repaired within 2 business days. Open tickets, due soon, breached, time to repair, SLA met.',
    refresh: '1m',
    from: '7d',
  })
    .withPanel(
      statPanel(1, 'Open tickets', at(0, 0, 4, 4))
        .description(NOW)
        .thresholds(thresholds('green', [1, 'orange']))
        .withTarget(series('A', `SELECT sum("open") AS "open" FROM ${LAST_TICKET_EVENT}`)),
    )
    .withPanel(
      statPanel(2, 'Due within 24 h', at(4, 0, 4, 4))
        .description(NOW)
        .thresholds(thresholds('green', [1, 'orange']))
        .withTarget(
          series(
            'A',
            `SELECT count("due_in_sec") AS "due soon" FROM ${LAST_TICKET_EVENT} WHERE "open" = 1 AND "due_in_sec" >= 0 AND "due_in_sec" < 86400`,
          ),
        ),
    )
    .withPanel(
      statPanel(3, 'Breached, still open', at(8, 0, 4, 4))
        .description(NOW)
        .thresholds(thresholds('green', [1, 'red']))
        .withTarget(
          series(
            'A',
            `SELECT count("due_in_sec") AS "breached" FROM ${LAST_TICKET_EVENT} WHERE "open" = 1 AND "due_in_sec" < 0`,
          ),
        ),
    )
    .withPanel(
      statPanel(4, 'SLA met', at(12, 0, 4, 4))
        .description('Share of the tickets resolved in the time range that were resolved by their due time.')
        .unit('percentunit')
        .decimals(0)
        .thresholds(thresholds('red', [0.8, 'orange'], [0.95, 'green']))
        .withTarget(series('A', `SELECT count("sla_met") AS "met" FROM ${MET}`).hide(true))
        .withTarget(series('B', `SELECT count("sla_met") AS "resolved" FROM ${RESOLVED}`).hide(true))
        .withTarget(new expr.TypeMathBuilder().refId('C').datasource(EXPRESSION).expression('$A / $B').hide(false)),
    )
    .withPanel(
      statPanel(5, 'Mean time to repair (business)', at(16, 0, 4, 4))
        .description('Business hours between opened and resolved, on the SLA calendar.')
        .unit('s')
        .thresholds(thresholds('green', [43200, 'orange'], [86400, 'red']))
        .withTarget(series('A', `SELECT mean("business_repair_sec") AS "business" FROM ${RESOLVED}`)),
    )
    .withPanel(
      statPanel(6, 'Mean time to repair (wall clock)', at(20, 0, 4, 4))
        .unit('s')
        .withTarget(series('A', `SELECT mean("wall_repair_sec") AS "wall clock" FROM ${RESOLVED}`)),
    )
    .withPanel(
      tablePanel(7, 'Open tickets', at(0, 4, 12, 8))
        .description(NOW)
        .overrideByName('due_in_sec', [{ id: 'unit', value: 's' }])
        .overrideByName('due_in_sec', cellsColouredBy('red', [0, 'orange'], [86400, 'green']))
        .sortBy(sortBy('due_in_sec', false))
        .withTransformation(hideTimeColumn())
        .withTarget(
          rows(
            'A',
            `SELECT "store", "device", "zone", "ticket_id", "status", "due_in_sec" FROM ${LAST_TICKET_EVENT} WHERE "open" = 1`,
          ),
        ),
    )
    .withPanel(
      tablePanel(8, 'Due within 24 h', at(12, 4, 6, 8))
        .overrideByName('due_in_sec', [{ id: 'unit', value: 's' }])
        .withTransformation(hideTimeColumn())
        .withTarget(
          rows(
            'A',
            `SELECT "store", "device", "ticket_id", "due_in_sec" FROM ${LAST_TICKET_EVENT} WHERE "open" = 1 AND "due_in_sec" >= 0 AND "due_in_sec" < 86400`,
          ),
        ),
    )
    .withPanel(
      tablePanel(9, 'Breached', at(18, 4, 6, 8))
        .overrideByName('due_in_sec', [{ id: 'unit', value: 's' }])
        .withTransformation(hideTimeColumn())
        .withTarget(
          rows(
            'A',
            `SELECT "store", "device", "ticket_id", "due_in_sec" FROM ${LAST_TICKET_EVENT} WHERE "open" = 1 AND "due_in_sec" < 0`,
          ),
        ),
    )
    .withPanel(
      terminalStatus(10, 'Terminal status', at(0, 12, 16, 8))
        .description('What each self-service terminal reported (sensor.status: ok / degraded / fault).')
        .interval('1m')
        .withTarget(
          series(
            'A',
            `SELECT last("status") FROM "sensor" WHERE "store" =~ /^$store$/ AND "type" = 'terminal' AND $timeFilter GROUP BY time($__interval), "store", "device" fill(previous)`,
            '$tag_store $tag_device',
          ),
        ),
    )
    .withPanel(
      slaPie(11, 'Resolved within SLA', at(16, 12, 8, 8))
        .withTarget(series('A', `SELECT count("sla_met") FROM ${MET}`, 'met'))
        .withTarget(series('B', `SELECT count("sla_met") FROM ${RESOLVED} AND "sla_met" = false`, 'missed')),
    )
    .withPanel(
      tablePanel(12, 'Terminals now', at(0, 20, 12, 8))
        .overrideByName('uptime', [{ id: 'unit', value: 's' }])
        .withTransformation(hideTimeColumn())
        .withTarget(
          rows(
            'A',
            `SELECT last("status") AS "status", last("fault_codes") AS "fault codes", last("paper_low") AS "paper low", last("uptime_sec") AS "uptime" FROM "sensor" WHERE "store" =~ /^$store$/ AND "type" = 'terminal' AND $timeFilter GROUP BY "store", "zone", "device"`,
          ),
        ),
    )
    .withPanel(
      barsPanel(13, 'Tickets opened, resolved, breached', at(12, 20, 12, 8))
        .interval('1h')
        .targets([ticketsPer('A', 'opened'), ticketsPer('B', 'resolved'), ticketsPer('C', 'breached')]),
    )
    .withPanel(
      pointsPanel(14, 'Time to repair', at(0, 28, 12, 8))
        .description(
          'Each resolved ticket: hours between opened and resolved, in business time (the SLA clock) and wall-clock time. The target is 2 business days.',
        )
        .unit('h')
        .withTarget(
          series(
            'A',
            `SELECT mean("business_repair_sec") / 3600 AS "business hours", mean("wall_repair_sec") / 3600 AS "wall-clock hours" FROM ${RESOLVED} GROUP BY time($__interval) fill(none)`,
            '$col',
          ),
        ),
    )
    .withPanel(
      tablePanel(15, 'Resolved tickets', at(0, 36, 24, 8))
        .overrideByName('business_repair_sec', [{ id: 'unit', value: 's' }])
        .overrideByName('wall_repair_sec', [{ id: 'unit', value: 's' }])
        .overrideByName('sla_met', [
          {
            id: 'mappings',
            value: [
              {
                type: 'value',
                options: {
                  true: { color: 'green', index: 0, text: 'met' },
                  false: { color: 'red', index: 1, text: 'missed' },
                },
              },
            ],
          },
          COLOURED_CELL,
        ])
        .withTarget(
          rows(
            'A',
            `SELECT "store", "device", "zone", "ticket_id", "business_repair_sec", "wall_repair_sec", "sla_met" FROM ${RESOLVED} ORDER BY time DESC LIMIT 500`,
          ),
        ),
    )
}
