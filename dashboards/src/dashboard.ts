import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard'
import { INFLUX } from './datasource.js'

/** Every StoreGuard dashboard carries this tag; the links at the top list the dashboards that have it. */
const TAG = 'storeguard'

/** The store picker: the values of the `store` tag (dashboards/README.md, "The `store` variable"). */
const STORE_VALUES = 'SHOW TAG VALUES FROM "sensor" WITH KEY = "store"'

/**
 * The `store` variable every query filters on with `"store" =~ /^$store$/`. **All** is sent as
 * `.*` rather than the list of every store, so the regex stays short for a chain of thousands
 * of stores (docs/requirements.md#scale).
 */
export function storeVariable(): dashboard.QueryVariableBuilder {
  return new dashboard.QueryVariableBuilder('store')
    .label('Store')
    .datasource(INFLUX)
    .query(STORE_VALUES)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .multi(true)
    .includeAll(true)
    .allValue('.*')
    .current({ selected: true, text: ['All'], value: ['$__all'] })
    .options([])
    .regex('')
    .sort(dashboard.VariableSort.AlphabeticalAsc)
    .hide(dashboard.VariableHide.DontHide)
}

/** Grafana's built-in "Annotations & Alerts" annotation, as every exported dashboard has it. */
function builtInAnnotations(): dashboard.AnnotationQueryBuilder {
  return new dashboard.AnnotationQueryBuilder()
    .builtIn(1)
    .datasource({ type: 'grafana', uid: '-- Grafana --' })
    .enable(true)
    .hide(true)
    .iconColor('rgba(0, 211, 255, 1)')
    .name('Annotations & Alerts')
    .type('dashboard')
}

/** A drop-down of the other StoreGuard dashboards that keeps the selected stores and time range. */
function otherDashboards(): dashboard.DashboardLinkBuilder {
  return new dashboard.DashboardLinkBuilder('StoreGuard')
    .type(dashboard.DashboardLinkType.Dashboards)
    .tags([TAG])
    .asDropdown(true)
    .includeVars(true)
    .keepTime(true)
    .targetBlank(false)
    .icon('external link')
    .tooltip('')
    .url('')
}

export interface DashboardSpec {
  /** `storeguard-<name>`: links and bookmarks use it, so it never changes. */
  readonly uid: string
  readonly title: string
  readonly description: string
  readonly refresh: string
  /** The default time range, `now-<from>` to now. */
  readonly from: string
}

/** A StoreGuard dashboard with the settings all five share; the caller adds the panels. */
export function storeguardDashboard(spec: DashboardSpec): dashboard.DashboardBuilder {
  return new dashboard.DashboardBuilder(spec.title)
    .uid(spec.uid)
    .description(spec.description)
    .tags([TAG])
    .timezone('browser')
    .editable()
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .version(1)
    .refresh(spec.refresh)
    .time({ from: `now-${spec.from}`, to: 'now' })
    .fiscalYearStartMonth(0)
    .liveNow(false)
    .weekStart('')
    .annotation(builtInAnnotations())
    .link(otherDashboards())
    .withVariable(storeVariable())
}
