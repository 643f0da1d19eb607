import { once } from 'node:events'
import { connect } from 'node:net'
import { connectAsync } from 'mqtt'
import { describe, expect, it } from 'vitest'
import { hashSecret } from '../gateway/security/secretHash.js'
import { eventually } from './support/api.js'
import { type GatewayProcess, startGatewayProcess } from './support/gatewayProcess.js'
import { tempDir } from './support/tempDir.js'

const STORE = 'lost-reader'
const SHUTDOWN_TIMEOUT_SEC = 5
/** How long past its shutdown timeout a gateway may take to be gone: process exit, a loaded machine. */
const EXIT_MARGIN_MS = 15_000
const ROUNDS = 20

/**
 * The smallest store that raises an alarm: one leak contact, anonymous on
 * loopback. At info level raising an alarm logs nothing, so the first line
 * into the broken pipe is "stopping": the moment a stop used to hang.
 */
function config(dataDir: string): string {
  return `store: { id: ${STORE}, locale: en }
broker: { host: 127.0.0.1, port: 0, allowAnonymous: true }
api: { host: 127.0.0.1, port: 0 }
devices:
  - { id: leak-1, type: leak, zone: entrance }
storage: { dataDir: ${dataDir} }
log: { level: info }
shutdown: { timeoutSec: ${SHUTDOWN_TIMEOUT_SEC} }
`
}

async function openAlarms(apiUrl: string): Promise<number> {
  const res = await fetch(`${apiUrl}/healthz`)
  return ((await res.json()) as { openAlarms: number }).openAlarms
}

/** The exit code after SIGTERM, or 'still running' once the shutdown timeout and a margin have passed (then killed). */
async function stopWithSigterm(gateway: GatewayProcess): Promise<number | string> {
  gateway.proc.kill('SIGTERM')
  let timer: NodeJS.Timeout | undefined
  const hung = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve('still running'), SHUTDOWN_TIMEOUT_SEC * 1000 + EXIT_MARGIN_MS)
  })
  const result = await Promise.race([gateway.exited, hung])
  clearTimeout(timer)
  if (result === 'still running') await gateway.kill('SIGKILL')
  return result
}

/**
 * A pipe reader that exits (a log shipper restarting, `storeguard run | tee`
 * closed) must never stop the gateway from working or from stopping. Every
 * round closes the reading end of its stdout (and in every other round of its
 * stderr too), raises an alarm that is then logged into the broken pipe, reads
 * it back from the API, and stops the gateway with SIGTERM.
 */
describe('a gateway whose log reader has gone', () => {
  it(`keeps raising alarms and stops cleanly on SIGTERM, in each of ${ROUNDS} rounds`, async () => {
    const exits: (number | string)[] = []
    for (let round = 1; round <= ROUNDS; round++) {
      const dir = tempDir()
      const gateway = await startGatewayProcess(dir.path, config(dir.path))
      try {
        gateway.proc.stdout?.destroy()
        if (round % 2 === 0) gateway.proc.stderr?.destroy()
        const device = await connectAsync(gateway.mqttUrl, { reconnectPeriod: 0, connectTimeout: 5000 })
        await device.publishAsync(`storeguard/${STORE}/devices/leak-1/state`, JSON.stringify({ water_leak: true }), {
          qos: 1,
        })
        await device.endAsync()
        await eventually(
          async () => ((await openAlarms(gateway.apiUrl)) === 1 ? true : undefined),
          10_000,
          `round ${round}: the flood alarm on the API`,
        )
        exits.push(await stopWithSigterm(gateway))
      } finally {
        await gateway.kill('SIGKILL')
        dir.remove()
      }
    }
    // 0: the stop ran to its end; 1 would be the shutdown timeout forcing the exit
    expect(exits).toEqual(Array(ROUNDS).fill(0))
  }, 240_000)
})

describe('a stop that cannot finish', () => {
  it('ends after the shutdown timeout with exit code 1, saying so', async () => {
    const dir = tempDir()
    const token = 'staff-token-for-a-stuck-request'
    const users = `api: { host: 127.0.0.1, port: 0, users: [{ name: s, role: staff, tokenHash: '${hashSecret(token)}' }] }`
    const gateway = await startGatewayProcess(dir.path, config(dir.path).replace(/^api: .*$/m, users))
    try {
      // a request whose body never comes keeps the API server from closing; "100 Continue" says it has been taken in
      const { port } = new URL(gateway.apiUrl)
      const socket = connect(Number(port), '127.0.0.1')
      await once(socket, 'connect')
      socket.write(
        `POST /api/alarms/none/ack HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n` +
          'Content-Type: application/json\r\nContent-Length: 100\r\nExpect: 100-continue\r\n\r\n',
      )
      await once(socket, 'data')
      expect(await stopWithSigterm(gateway)).toBe(1)
      expect(gateway.output.some((line) => line.includes('"stop timed out: exiting anyway"'))).toBe(true)
      socket.destroy()
    } finally {
      await gateway.kill('SIGKILL')
      dir.remove()
    }
  })
})
