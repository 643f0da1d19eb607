import type { SinkKind } from '../sink.js'

/** InfluxDB, when `influx.enabled`; the client and disk buffer load only then. */
export const influxSinkKind: SinkKind = {
  name: 'influx',
  configured: (config) => config.influx.enabled,
  async start(deps) {
    const { startInfluxSink } = await import('./influxSink.js')
    return startInfluxSink({
      config: deps.config.influx,
      store: deps.config.store.id,
      dataDir: deps.config.storage.dataDir,
      events: deps.events,
      devices: deps.devices,
      openAlarms: deps.openAlarms,
      ...(deps.central ? { central: deps.central } : {}),
      metrics: deps.metrics,
      log: deps.log,
      now: deps.now,
    })
  },
}
