/**
 * The ceiling pipeline, as its own process (started by bench/ceiling.ts):
 * mqtt.js subscriber → JSON.parse → one line-protocol line per reading →
 * batched HTTP writes to InfluxDB 1.x. Nothing else — no config, no rules, no
 * store — so it marks how fast any Node gateway can ingest on this machine.
 *
 * Configured by environment: CEILING_BROKER_URL, CEILING_INFLUX_URL,
 * CEILING_DATABASE. Prints `{"ready":true}` on stdout once subscribed; on
 * SIGTERM stops reading, writes what it holds and exits.
 */
import { Agent, request } from 'node:http'
import { connectAsync } from 'mqtt'
import { DeviceClock, deviceIdFromTopic, sensorLine } from './lineProtocol.js'
import { PREFIX } from './workload.js'

const BATCH_LINES = 5000
const FLUSH_MS = 1000
const RETRY_MIN_MS = 100
const RETRY_MAX_MS = 2000

// one socket, kept alive: a batch is one request, and a new TCP connection per batch would cost more than the parse
const agent = new Agent({ keepAlive: true, maxSockets: 1 })

interface Response {
  readonly status: number
  readonly body: string
}

function post(url: URL, body: string): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        // read the body to the end even when it is empty: only then does the socket go back to the agent
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => {
          text += chunk
        })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

interface Batch {
  readonly body: string
  readonly lines: number
}

/**
 * Lines in, batches out: a batch is cut at BATCH_LINES or by flush(), and
 * batches go out one request at a time, in order. Nothing is dropped for being
 * late: an unreachable or failing (5xx) server is retried with backoff while
 * later batches wait in the queue. Only a batch InfluxDB rejects as bad (4xx)
 * is dropped, since sending it again cannot help.
 */
class BatchWriter {
  readonly #url: URL
  #pending = ''
  #pendingLines = 0
  readonly #queue: Batch[] = []
  #sending: Promise<void> | null = null
  written = 0

  constructor(influxUrl: string, database: string) {
    this.#url = new URL(`/write?db=${encodeURIComponent(database)}&precision=ms`, influxUrl)
  }

  add(line: string): void {
    this.#pending = this.#pendingLines === 0 ? line : `${this.#pending}\n${line}`
    if (++this.#pendingLines >= BATCH_LINES) this.flush()
  }

  /** Cuts whatever is pending into a batch and starts sending if idle. */
  flush(): void {
    if (this.#pendingLines === 0) return
    this.#queue.push({ body: this.#pending, lines: this.#pendingLines })
    this.#pending = ''
    this.#pendingLines = 0
    if (this.#sending === null) this.#sending = this.#sendAll()
  }

  /** Resolves once everything added so far is written (or rejected as bad). */
  async drain(): Promise<void> {
    this.flush()
    while (this.#sending !== null) await this.#sending
  }

  async #sendAll(): Promise<void> {
    for (let batch = this.#queue.shift(); batch !== undefined; batch = this.#queue.shift()) {
      await this.#send(batch)
    }
    this.#sending = null
  }

  async #send(batch: Batch): Promise<void> {
    for (let delay = RETRY_MIN_MS; ; delay = Math.min(delay * 2, RETRY_MAX_MS)) {
      try {
        const res = await post(this.#url, batch.body)
        if (res.status === 204) {
          this.written += batch.lines
          return
        }
        console.error(`influx write: HTTP ${res.status} ${res.body.trim()}`)
        if (res.status >= 400 && res.status < 500 && res.status !== 429) return
      } catch (err) {
        console.error(`influx write: ${(err as Error).message}`)
      }
      await sleep(delay)
    }
  }
}

function requiredEnv(name: string): string {
  const value = process.env[name]
  if (value === undefined || value === '') throw new Error(`${name} is not set`)
  return value
}

async function createDatabase(influxUrl: string, database: string): Promise<void> {
  const q = `CREATE DATABASE "${database.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`
  const res = await post(new URL(`/query?q=${encodeURIComponent(q)}`, influxUrl), '')
  if (res.status !== 200) throw new Error(`CREATE DATABASE: HTTP ${res.status} ${res.body.trim()}`)
}

async function main(): Promise<void> {
  const brokerUrl = requiredEnv('CEILING_BROKER_URL')
  const influxUrl = requiredEnv('CEILING_INFLUX_URL')
  const database = requiredEnv('CEILING_DATABASE')

  // the database first: a write before it exists is a 404, which the writer would drop
  await createDatabase(influxUrl, database)
  const writer = new BatchWriter(influxUrl, database)
  const clock = new DeviceClock()
  let skipped = 0

  const client = await connectAsync(brokerUrl, { clientId: `storeguard-ceiling-${process.pid}`, clean: true })
  client.on('error', (err) => console.error(`mqtt: ${err.message}`))
  client.on('message', (topic, payload) => {
    const deviceId = deviceIdFromTopic(topic)
    let reading: unknown
    try {
      reading = JSON.parse(payload.toString())
    } catch {
      reading = null
    }
    const line = deviceId === null ? null : sensorLine(deviceId, reading, clock.next(deviceId))
    if (line === null) skipped++
    else writer.add(line)
  })
  const granted = await client.subscribeAsync({
    [`${PREFIX}/devices/+/state`]: { qos: 1 },
    'zigbee2mqtt/+': { qos: 1 },
  })
  const refused = granted.filter((g) => g.qos === 128)
  if (refused.length > 0) throw new Error(`broker refused ${refused.map((g) => g.topic).join(', ')}`)

  const timer = setInterval(() => writer.flush(), FLUSH_MS)
  let stopping = false
  const stop = async (): Promise<void> => {
    if (stopping) return
    stopping = true
    clearInterval(timer)
    // stop taking messages first, so the drain below is the last write
    await client.endAsync()
    await writer.drain()
    process.stdout.write(`${JSON.stringify({ stopped: true, written: writer.written, skipped })}\n`)
    process.exit(0)
  }
  process.once('SIGTERM', () => void stop())
  process.once('SIGINT', () => void stop())

  process.stdout.write(`${JSON.stringify({ ready: true })}\n`)
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err))
  process.exit(1)
})
