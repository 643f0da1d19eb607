import * as common from '@grafana/grafana-foundation-sdk/common'
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard'
import * as piechart from '@grafana/grafana-foundation-sdk/piechart'
import * as statetimeline from '@grafana/grafana-foundation-sdk/statetimeline'
import { INFLUX } from './datasource.js'
import { lastNotNull, thresholds } from './panels.js'

/** The two panel kinds only the terminals dashboard has. */

/** One row per terminal, coloured by the status it reported (ok / degraded / fault). */
export function terminalStatus(id: number, title: string, gridPos: dashboard.GridPos): statetimeline.PanelBuilder {
  const status = (text: string, color: string, index: number) => ({ color, index, text })
  return new statetimeline.PanelBuilder()
    .id(id)
    .title(title)
    .gridPos(gridPos)
    .datasource(INFLUX)
    .colorScheme(new dashboard.FieldColorBuilder().mode(dashboard.FieldColorModeId.Thresholds))
    .thresholds(thresholds('green'))
    .mappings([
      {
        type: dashboard.MappingType.ValueToText,
        options: {
          ok: status('ok', 'green', 0),
          degraded: status('degraded', 'orange', 1),
          fault: status('fault', 'red', 2),
        },
      },
    ])
    .fillOpacity(80)
    .lineWidth(0)
    .mergeValues(true)
    .showValue(common.VisibilityMode.Never)
    .alignValue(common.TimelineValueAlignment.Left)
    .rowHeight(0.8)
    .legend(
      new common.VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(common.LegendDisplayMode.List)
        .placement(common.LegendPlacement.Bottom),
    )
    .tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Single).sort(common.SortOrder.None))
}

/** The met / missed counts behind the SLA ratio, as a donut: met green, missed red. */
export function slaPie(id: number, title: string, gridPos: dashboard.GridPos): piechart.PanelBuilder {
  const fixed = (color: string) => [{ id: 'color', value: { mode: 'fixed', fixedColor: color } }]
  return new piechart.PanelBuilder()
    .id(id)
    .title(title)
    .gridPos(gridPos)
    .datasource(INFLUX)
    .unit('short')
    .colorScheme(new dashboard.FieldColorBuilder().mode(dashboard.FieldColorModeId.PaletteClassic))
    .mappings([])
    .overrideByName('met', fixed('green'))
    .overrideByName('missed', fixed('red'))
    .reduceOptions(lastNotNull())
    .pieType(piechart.PieChartType.Donut)
    .displayLabels([piechart.PieChartLabels.Percent])
    .legend(
      new piechart.PieChartLegendOptionsBuilder()
        .displayMode(common.LegendDisplayMode.Table)
        .placement(common.LegendPlacement.Right)
        .showLegend(true)
        .values([piechart.PieChartLegendValues.Value, piechart.PieChartLegendValues.Percent]),
    )
    .tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Single).sort(common.SortOrder.None))
}
