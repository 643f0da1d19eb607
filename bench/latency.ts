import mqtt, { type MqttClient } from 'mqtt'
import { type BenchDevice, leakPayload, PREFIX } from './workload.js'

export interface LatencyResult {
  readonly samples: number
  readonly p50: number
  readonly p99: number
  readonly max: number
  /** Probes whose alarm never came (within the timeout). */
  readonly lost: number
}

const ALARM_TIMEOUT_MS = 2000

/**
 * Alarm latency (docs/requirements.md#benchmarks): publish a wet leak reading on a probe and time
 * until an alarm for that device with `conditionActive: true` arrives on
 * `<prefix>/alarms/#`; then dry it, and use it again only once the clear has
 * arrived, so every wet is a new transition. Probes take turns.
 * The prober has its own connections (QoS 1), apart from the background load.
 */
export async function measureAlarmLatency(
  url: string,
  login: { username: string; password: string } | null,
  probes: readonly BenchDevice[],
  samples: number,
): Promise<LatencyResult> {
  const connect = async (role: string): Promise<MqttClient> => {
    const client = await mqtt.connectAsync(url, {
      clientId: `bench-${role}-${process.pid}`,
      ...(login ?? {}),
      reconnectPeriod: 0,
    })
    // the prober's own socket must not add Nagle's delay to what it measures
    ;(client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true)
    return client
  }
  const listener = await connect('alarms')
  const prober = await connect('probe')
  /** `<deviceId>:<wet>` → who waits for that alarm state */
  const waiting = new Map<string, { active: boolean; resolve: () => void }>()
  listener.on('message', (_topic, payload) => {
    if (payload.length === 0) return
    let alarm: { deviceId?: string; conditionActive?: boolean }
    try {
      alarm = JSON.parse(payload.toString()) as typeof alarm
    } catch {
      return
    }
    const key = `${alarm.deviceId}:${alarm.conditionActive}`
    const wait = waiting.get(key)
    if (wait !== undefined) {
      waiting.delete(key)
      wait.resolve()
    }
  })
  await listener.subscribeAsync(`${PREFIX}/alarms/#`, { qos: 1 })
  // retained copies of earlier runs arrive now: let them pass before timing anything
  await new Promise((r) => setTimeout(r, 300))

  /** Resolves when `probe` reports `wet` on the alarm topic; null after ALARM_TIMEOUT_MS. */
  const transition = (probe: BenchDevice, wet: boolean): { sent: Promise<void>; done: Promise<number | null> } => {
    const arrived = new Promise<void>((resolve) => waiting.set(`${probe.id}:${wet}`, { active: wet, resolve }))
    const started = performance.now()
    const sent = prober.publishAsync(probe.topic, leakPayload(wet), { qos: 1 }).then(() => undefined)
    const timedOut = new Promise<null>((r) => setTimeout(() => r(null), ALARM_TIMEOUT_MS))
    const done = Promise.race([arrived.then(() => performance.now() - started), timedOut]).then((ms) => {
      waiting.delete(`${probe.id}:${wet}`)
      return ms
    })
    return { sent, done }
  }

  // StoreGuard clears a flood alarm on its 1 s tick once the contact is dry: a probe is used
  // again only after its clear has arrived, and the probes take turns meanwhile
  const cleared = new Map<string, Promise<number | null>>()
  const latencies: number[] = []
  let lost = 0
  for (let i = 0; i < samples; i++) {
    const probe = probes[i % probes.length] as BenchDevice
    await cleared.get(probe.id)
    const ms = await transition(probe, true).done
    if (ms === null) lost++
    else latencies.push(ms)
    const dry = transition(probe, false)
    await dry.sent
    cleared.set(probe.id, dry.done)
  }
  await Promise.all(cleared.values())
  await listener.endAsync()
  await prober.endAsync()
  latencies.sort((a, b) => a - b)
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN
  return { samples: latencies.length, p50: at(0.5), p99: at(0.99), max: latencies.at(-1) ?? Number.NaN, lost }
}
