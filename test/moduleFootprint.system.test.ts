import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { REPO_ROOT } from './support/repoRoot.js'

const run = promisify(execFile)

describe("what the built gateway's modules load into a Pi's memory (docs/performance.md#idle-memory)", () => {
  it("loads without Node's fetch implementation, which the gateway never calls at idle", async () => {
    // main.js and what it loads only when a store's config asks for it (the `await import`s):
    // node:http imported as an ES module would load undici through its WebSocket getters, 2.4 MB of heap
    const modules = [
      'main/main.js',
      'sinks/influx/influxSink.js',
      'bus/clientBus.js',
      'bridge/startBridge.js',
      'channels/emailChannel.js',
      '../devices/mqtt/mqttDeviceAdapter.js',
      '../devices/modbus/modbusAdapter.js',
      '../devices/gpio/gpioAdapter.js',
    ].map((m) => pathToFileURL(join(REPO_ROOT, 'dist', 'gateway', m)).href)
    const script = `for (const m of ${JSON.stringify(modules)}) await import(m)
      process.stdout.write(JSON.stringify(process.moduleLoadList.filter((m) => m.includes('undici'))))`
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script])
    expect(JSON.parse(stdout)).toEqual([])
  })
})
