/** Warning colours of China's meteorological service, mildest first. */
export const WEATHER_LEVELS = ['blue', 'yellow', 'orange', 'red'] as const
export type WeatherLevel = (typeof WEATHER_LEVELS)[number]

/**
 * A weather warning published on `<prefix>/weather` (docs/requirements.md#mqtt-topics), e.g.
 * `{"kind":"rainstorm","level":"orange","text":"…","validUntil":"2026-07-01T18:00:00+08:00"}`.
 * The emergency plan (docs/requirements.md#flood) 水灾: when a rainstorm warning is issued, prepare flood defences.
 */
export interface WeatherWarning {
  /** rainstorm, typhoon, flood, … as the source names it. */
  readonly kind: string
  readonly level: WeatherLevel
  readonly text: string | null
  /** Milliseconds since the epoch. */
  readonly receivedAt: number
  readonly validUntil: number | null
  /** True when the source says the warning is lifted. */
  readonly cancelled: boolean
}
