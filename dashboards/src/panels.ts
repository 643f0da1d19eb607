import * as bargauge from '@grafana/grafana-foundation-sdk/bargauge'
import * as common from '@grafana/grafana-foundation-sdk/common'
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard'
import * as stat from '@grafana/grafana-foundation-sdk/stat'
import * as table from '@grafana/grafana-foundation-sdk/table'
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries'
import { INFLUX } from './datasource.js'

/**
 * The panel kinds the dashboards repeat, with the settings they share; a dashboard file
 * changes only what differs (unit, thresholds, overrides, sort) with the SDK builder's own
 * methods. Every panel reads the StoreGuard datasource and has an explicit place: the SDK's
 * automatic layout would move panels whenever one is added.
 */

/** A panel's place on Grafana's 24-column grid. */
export function at(x: number, y: number, w: number, h: number): dashboard.GridPos {
  return { h, w, x, y }
}

/** Absolute thresholds: `base` below the first step, then each `[value, color]` from its value up. */
export function thresholds(base: string, ...steps: readonly [number, string][]): dashboard.ThresholdsConfigBuilder {
  return new dashboard.ThresholdsConfigBuilder()
    .mode(dashboard.ThresholdsMode.Absolute)
    .steps([{ color: base, value: null }, ...steps.map(([value, color]) => ({ color, value }))])
}

const byThresholds = (): dashboard.FieldColorBuilder =>
  new dashboard.FieldColorBuilder().mode(dashboard.FieldColorModeId.Thresholds)

const byPalette = (): dashboard.FieldColorBuilder =>
  new dashboard.FieldColorBuilder().mode(dashboard.FieldColorModeId.PaletteClassic)

/** The last value of each series: stats and bar gauges show where things stand at the end of the range. */
export const lastNotNull = (): common.ReduceDataOptionsBuilder =>
  new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).fields('').values(false)

/** A single number on a coloured background, so a wall screen is read at a glance. */
export function statPanel(id: number, title: string, gridPos: dashboard.GridPos): stat.PanelBuilder {
  return new stat.PanelBuilder()
    .id(id)
    .title(title)
    .gridPos(gridPos)
    .datasource(INFLUX)
    .unit('short')
    .thresholds(thresholds('green'))
    .colorScheme(byThresholds())
    .mappings([])
    .reduceOptions(lastNotNull())
    .colorMode(common.BigValueColorMode.Background)
    .graphMode(common.BigValueGraphMode.None)
    .justifyMode(common.BigValueJustifyMode.Auto)
    .orientation(common.VizOrientation.Auto)
    .textMode(common.BigValueTextMode.Auto)
    .showPercentChange(false)
    .wideLayout(true)
}

/**
 * Lines (from `min`, 0 unless given) with a legend table of last and max. `spanNulls` joins the gaps that
 * `fill(none)` buckets leave, so a quiet minute does not break a line.
 */
export function timeseriesPanel(
  id: number,
  title: string,
  gridPos: dashboard.GridPos,
  min: number | null = 0,
): timeseries.PanelBuilder {
  const panel = new timeseries.PanelBuilder()
    .id(id)
    .title(title)
    .gridPos(gridPos)
    .datasource(INFLUX)
    .unit('short')
    .thresholds(thresholds('green'))
    .colorScheme(byPalette())
    .axisPlacement(common.AxisPlacement.Auto)
    .drawStyle(common.GraphDrawStyle.Line)
    .fillOpacity(10)
    .gradientMode(common.GraphGradientMode.None)
    .lineInterpolation(common.LineInterpolation.Linear)
    .lineWidth(1)
    .pointSize(4)
    .showPoints(common.VisibilityMode.Never)
    .spanNulls(true)
    .stacking(stacking(common.StackingMode.None))
    .thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Off))
    .legend(
      new common.VizLegendOptionsBuilder()
        .calcs(['lastNotNull', 'max'])
        .displayMode(common.LegendDisplayMode.Table)
        .placement(common.LegendPlacement.Bottom)
        .showLegend(true),
    )
    .tooltip(
      new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending),
    )
  return min === null ? panel : panel.min(min)
}

/** Series stacked (`Normal`) or side by side (`None`), in one stacking group. */
export function stacking(mode: common.StackingMode): common.StackingConfigBuilder {
  return new common.StackingConfigBuilder().group('A').mode(mode)
}

/** Bars per time bucket, for counts (alarms per 10 min, tickets per hour). */
export function barsPanel(id: number, title: string, gridPos: dashboard.GridPos): timeseries.PanelBuilder {
  return timeseriesPanel(id, title, gridPos).drawStyle(common.GraphDrawStyle.Bars).fillOpacity(80)
}

/** A filterable table without a footer. */
export function tablePanel(id: number, title: string, gridPos: dashboard.GridPos): table.PanelBuilder {
  return new table.PanelBuilder()
    .id(id)
    .title(title)
    .gridPos(gridPos)
    .datasource(INFLUX)
    .unit('short')
    .align(common.FieldTextAlignment.Auto)
    .cellOptions({ type: common.TableCellDisplayMode.Auto })
    .filterable(true)
    .thresholds(thresholds('green'))
    .mappings([])
    .showHeader(true)
    .cellHeight(common.TableCellHeight.Sm)
    .footer(new common.TableFooterOptionsBuilder().show(false).reducer(['sum']))
}

/** Sort a table by one column. */
export function sortBy(displayName: string, desc: boolean): common.TableSortByFieldStateBuilder[] {
  return [new common.TableSortByFieldStateBuilder().displayName(displayName).desc(desc)]
}

/** Horizontal bars, one per series, for counts by kind or severity. */
export function barGaugePanel(id: number, title: string, gridPos: dashboard.GridPos): bargauge.PanelBuilder {
  return new bargauge.PanelBuilder()
    .id(id)
    .title(title)
    .gridPos(gridPos)
    .datasource(INFLUX)
    .unit('short')
    .min(0)
    .thresholds(thresholds('green'))
    .colorScheme(byThresholds())
    .mappings([])
    .reduceOptions(lastNotNull())
    .displayMode(common.BarGaugeDisplayMode.Gradient)
    .maxVizHeight(300)
    .minVizHeight(16)
    .minVizWidth(8)
    .namePlacement(common.BarGaugeNamePlacement.Auto)
    .orientation(common.VizOrientation.Horizontal)
    .showUnfilled(true)
    .sizing(common.BarGaugeSizing.Auto)
    .valueMode(common.BarGaugeValueMode.Color)
}

/**
 * InfluxDB returns a `Time` column even for `last()` per series; the tables show state, not
 * when it was last written, so they hide it.
 */
export function hideTimeColumn(): dashboard.DataTransformerConfig {
  return { id: 'organize', options: { excludeByName: { Time: true }, indexByName: {}, renameByName: {} } }
}

/** One table out of several queries' rows (joined on their common columns). */
export function merge(): dashboard.DataTransformerConfig {
  return { id: 'merge', options: {} }
}
