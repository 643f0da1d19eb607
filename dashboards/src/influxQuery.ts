import type * as cog from '@grafana/grafana-foundation-sdk/cog'
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard'
import { INFLUX } from './datasource.js'

/**
 * An InfluxQL target of Grafana's InfluxDB datasource. The Foundation SDK (11.6 build) has no
 * InfluxDB query type, and `@grafana/schema` does not publish one either (Grafana keeps
 * `InfluxQuery` in the plugin's own `types.ts`), so this is the part of that interface the
 * dashboards use, written as a Dataquery variant the way the SDK's README shows for a
 * datasource it does not cover. Every query is raw InfluxQL: the dashboards are tested by
 * running exactly these strings (test/dashboards.test.ts).
 */
export interface InfluxQuery {
  refId: string
  datasource: dashboard.DataSourceRef
  rawQuery: true
  query: string
  /** `table` keeps one row per series with its tags as columns; `time_series` one frame per series. */
  resultFormat: 'time_series' | 'table'
  /** The series name Grafana shows: `$tag_<key>`, `$col`, or fixed text. */
  alias?: string
  /** A query only an expression reads (the SLA ratio) is hidden from the panel. */
  hide?: boolean
  _implementsDataqueryVariant(): void
}

export class InfluxQueryBuilder implements cog.Builder<cog.Dataquery> {
  private readonly internal: InfluxQuery

  constructor(refId: string, query: string, resultFormat: InfluxQuery['resultFormat']) {
    this.internal = {
      refId,
      datasource: INFLUX,
      rawQuery: true,
      query,
      resultFormat,
      _implementsDataqueryVariant() {},
    }
  }

  build(): InfluxQuery {
    return this.internal
  }

  alias(alias: string): this {
    this.internal.alias = alias
    return this
  }

  hide(hide: boolean): this {
    this.internal.hide = hide
    return this
  }
}

/** A time-series InfluxQL target (one series per GROUP BY tag set). */
export function series(refId: string, query: string, alias?: string): InfluxQueryBuilder {
  const q = new InfluxQueryBuilder(refId, query, 'time_series')
  return alias === undefined ? q : q.alias(alias)
}

/** A table InfluxQL target (GROUP BY tags become columns). */
export function rows(refId: string, query: string): InfluxQueryBuilder {
  return new InfluxQueryBuilder(refId, query, 'table')
}
