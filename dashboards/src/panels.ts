import * as bargauge from '@grafana/grafana-foundation-sdk/bargauge'
import type * as cog from '@grafana/grafana-foundation-sdk/cog'
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

/** What every panel kind below is given the same way; the SDK's builders share these methods but no type. */
interface Placeable {
  id(id: number): this
  title(title: string): this
  gridPos(gridPos: dashboard.GridPos): this
  datasource(datasource: dashboard.DataSourceRef): this
  unit(unit: string): this
  thresholds(thresholds: cog.Builder<dashboard.ThresholdsConfig>): this
}

/** A panel on the StoreGuard datasource at its place, counting (`short`) and green until a panel sets thresholds. */
function placed<P extends Placeable>(panel: P, id: number, title: string, gridPos: dashboard.GridPos): P {
  return panel.id(id).title(title).gridPos(gridPos).datasource(INFLUX).unit('short').thresholds(thresholds('green'))
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
  return placed(new stat.PanelBuilder(), id, title, gridPos)
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
  const panel = placed(new timeseries.PanelBuilder(), id, title, gridPos)
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
  return placed(new table.PanelBuilder(), id, title, gridPos)
    .align(common.FieldTextAlignment.Auto)
    .cellOptions({ type: common.TableCellDisplayMode.Auto })
    .filterable(true)
    .mappings([])
    .showHeader(true)
    .cellHeight(common.TableCellHeight.Sm)
    .footer(new common.TableFooterOptionsBuilder().show(false).reducer(['sum']))
}

/**
 * Drawn as points, not lines: for values each of which is one event (an acknowledgement, a
 * resolved ticket), where a line between them would suggest values in between.
 */
export function pointsPanel(id: number, title: string, gridPos: dashboard.GridPos): timeseries.PanelBuilder {
  return timeseriesPanel(id, title, gridPos)
    .drawStyle(common.GraphDrawStyle.Points)
    .pointSize(6)
    .showPoints(common.VisibilityMode.Always)
}

/** A table cell filled with its colour (from thresholds or value mappings) rather than coloured text. */
export const COLOURED_CELL = { id: 'custom.cellOptions', value: { type: 'color-background', mode: 'basic' } }

/** A column's cells coloured by absolute thresholds, as `thresholds(...)` reads them. */
export function cellsColouredBy(base: string, ...steps: readonly [number, string][]): { id: string; value: unknown }[] {
  const value = {
    mode: 'absolute',
    steps: [{ color: base, value: null }, ...steps.map(([v, color]) => ({ color, value: v }))],
  }
  return [{ id: 'thresholds', value }, COLOURED_CELL]
}

/** Sort a table by one column. */
export function sortBy(displayName: string, desc: boolean): common.TableSortByFieldStateBuilder[] {
  return [new common.TableSortByFieldStateBuilder().displayName(displayName).desc(desc)]
}

/** Horizontal bars, one per series, for counts by kind or severity. */
export function barGaugePanel(id: number, title: string, gridPos: dashboard.GridPos): bargauge.PanelBuilder {
  return placed(new bargauge.PanelBuilder(), id, title, gridPos)
    .min(0)
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
