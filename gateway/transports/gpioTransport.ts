import type { Transport } from './transport.js'

/** Contacts and outputs wired to the gateway's own pins. */
export const gpioTransport: Transport = {
  name: 'gpio',
  configured: ({ config }) => config.devices.some((d) => d.gpio),
  async create({ config, clock, log, output, gpioDriver }) {
    const { createGpioAdapter } = await import('../../devices/gpio/gpioAdapter.js')
    return createGpioAdapter({
      store: config.store.id,
      config: config.gpio,
      devices: config.devices,
      output,
      clock,
      log,
      ...(gpioDriver ? { driver: gpioDriver } : {}),
    })
  },
}
