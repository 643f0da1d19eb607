import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  BATCH_POINTS,
  type FlowNode,
  HOT_PATH_FINALIZE,
  HOT_PATH_FUNCTION,
  HOT_PATH_INITIALIZE,
  nodeRedFlow,
  subscriptionTopics,
} from './nodeRedFlow.js'
import { benchDevices, HEAT_THRESHOLD_C, leakPayload, PREFIX, sensorPayload } from './workload.js'

const options = {
  brokerUrl: 'mqtt://127.0.0.1:18830',
  influxUrl: 'http://127.0.0.1:18086',
  database: 'node_red_bench',
  devices: benchDevices(),
}

interface Point {
  measurement: string
  fields: Record<string, number>
  tags: { device: string }
  timestamp: string
}
interface Out {
  topic?: string
  payload: unknown
}
type Outputs = [Out | null, Out[]] | null

/**
 * The function node's code run the way Node-RED runs it: the body inside a
 * function (so `return` works), with `context`, `node` and `setInterval` as
 * the sandbox gives them.
 */
function hotPath() {
  const store = new Map<string, unknown>()
  const context = { get: (key: string) => store.get(key), set: (key: string, value: unknown) => store.set(key, value) }
  const sent: { msgs: unknown; clone: unknown }[] = []
  const node = { send: (msgs: unknown, clone: unknown) => sent.push({ msgs, clone }) }
  let tick: (() => void) | undefined
  const setInterval = (fn: () => void) => {
    tick = fn
    return 1
  }
  const cleared: unknown[] = []
  new Function('context', 'node', 'setInterval', HOT_PATH_INITIALIZE)(context, node, setInterval)
  const onMessage = new Function('msg', 'context', 'node', HOT_PATH_FUNCTION)
  return {
    run: (topic: string, payload: string): Outputs =>
      onMessage({ topic, payload: JSON.parse(payload) }, context, node) as Outputs,
    flush: () => tick?.(),
    close: () =>
      new Function('context', 'clearInterval', HOT_PATH_FINALIZE)(context, (id: unknown) => cleared.push(id)),
    sent,
    cleared,
  }
}

/** The points of the n-th batch the timer sent (with the clone flag it was sent with). */
function timerBatch(fn: ReturnType<typeof hotPath>, n = 0): { points: Point[]; clone: unknown } {
  const sent = fn.sent[n]
  if (!sent) throw new Error(`no batch #${n} sent`)
  const [out] = sent.msgs as [Out, null]
  return { points: out.payload as Point[], clone: sent.clone }
}

function byType(flow: FlowNode[], type: string): FlowNode[] {
  return flow.filter((node) => node.type === type)
}

function only(flow: FlowNode[], type: string): FlowNode {
  const nodes = byType(flow, type)
  expect(nodes).toHaveLength(1)
  return nodes[0] as FlowNode
}

describe('nodeRedFlow', () => {
  const flow = nodeRedFlow(options)

  it('subscribes with one wildcard per topic shape, QoS 1, parsed JSON', () => {
    expect(subscriptionTopics(options.devices)).toEqual([`${PREFIX}/devices/+/state`, 'zigbee2mqtt/+'])
    const inputs = byType(flow, 'mqtt in')
    expect(inputs.map((n) => n.topic)).toEqual([`${PREFIX}/devices/+/state`, 'zigbee2mqtt/+'])
    for (const input of inputs) expect(input).toMatchObject({ qos: '1', datatype: 'json', wires: [['sgbenchhotpath']] })
  })

  it('wires the function node to the influxdb batch node and the alarm publisher', () => {
    const fn = only(flow, 'function')
    expect(fn).toMatchObject({ outputs: 2, wires: [[only(flow, 'influxdb batch').id], [only(flow, 'mqtt out').id]] })
    expect(only(flow, 'mqtt out')).toMatchObject({ topic: '', qos: '1', retain: 'false' })
  })

  it('points the config nodes at the broker and influxd of the options', () => {
    expect(only(flow, 'mqtt-broker')).toMatchObject({ broker: '127.0.0.1', port: '18830' })
    expect(only(flow, 'influxdb')).toMatchObject({
      hostname: '127.0.0.1',
      port: '18086',
      database: 'node_red_bench',
      influxdbVersion: '1.x',
    })
    expect(only(flow, 'influxdb batch')).toMatchObject({ influxdb: only(flow, 'influxdb').id, precision: 'n' })
  })

  it('refers only to nodes it has', () => {
    const ids = new Set(flow.map((n) => n.id))
    expect(ids.size).toBe(flow.length)
    for (const node of flow) {
      for (const target of ((node.wires ?? []) as string[][]).flat()) expect(ids).toContain(target)
      if (node.z !== undefined) expect(ids).toContain(node.z)
      // `broker` of the mqtt-broker config node itself is a host name, not a reference
      if (node.type === 'mqtt in' || node.type === 'mqtt out') expect(ids).toContain(node.broker)
      if (node.type === 'influxdb batch') expect(ids).toContain(node.influxdb)
    }
  })

  it('is plain JSON', () => {
    expect(JSON.parse(JSON.stringify(flow))).toEqual(flow)
  })
})

describe('the hot path function', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it('writes one point per sensor reading, tagged with the device id', () => {
    const fn = hotPath()
    const sensors = options.devices.filter((d) => d.kind !== 'leak')
    for (const device of sensors) expect(fn.run(device.topic, sensorPayload(device, 3))).toEqual([null, []])
    fn.flush()
    const { points, clone } = timerBatch(fn)
    expect(clone).toBe(false)
    expect(points.map((p) => p.tags.device)).toEqual(sensors.map((d) => d.id))
    expect(points[0]).toMatchObject({ measurement: 'sensor', fields: { temperature: 20.3, humidity: 43 } })
    const z2m = points.find((p) => p.tags.device === 'z2m-001')
    expect(z2m?.fields).toEqual({ temperature: 20.3, battery: 87, linkquality: 103, voltage: 3000 })
  })

  it('raises a flood alarm for a leak probe and writes no point', () => {
    const fn = hotPath()
    const probe = options.devices.find((d) => d.kind === 'leak')
    if (!probe) throw new Error('no leak probe')
    for (const wet of [true, false]) {
      const [points, alarms] = fn.run(probe.topic, leakPayload(wet)) ?? [null, []]
      expect(points).toBeNull()
      expect(alarms).toHaveLength(1)
      expect(alarms[0]?.topic).toBe(`${PREFIX}/alarms/${probe.id}`)
      expect(JSON.parse(String(alarms[0]?.payload))).toMatchObject({
        kind: 'flood',
        deviceId: probe.id,
        severity: 'major',
        conditionActive: wet,
      })
    }
    fn.flush()
    expect(fn.sent).toEqual([])
  })

  it('raises a fire alarm at the heat threshold, not below it', () => {
    const fn = hotPath()
    expect(fn.run('zigbee2mqtt/z2m_007', `{"temperature":${HEAT_THRESHOLD_C - 0.1}}`)?.[1]).toEqual([])
    const [, alarms] = fn.run('zigbee2mqtt/z2m_007', `{"temperature":${HEAT_THRESHOLD_C}}`) ?? [null, []]
    expect(alarms.map((a) => JSON.parse(String(a.payload)))).toMatchObject([
      { kind: 'fire', deviceId: 'z2m-007', conditionActive: true },
    ])
  })

  it('gives readings of one device in one millisecond distinct ns timestamps', () => {
    vi.spyOn(Date, 'now').mockReturnValue(1_795_000_000_123)
    const fn = hotPath()
    for (let i = 0; i < 3; i++) fn.run('zigbee2mqtt/z2m_001', '{"temperature":20}')
    fn.run('zigbee2mqtt/z2m_002', '{"temperature":20}')
    fn.flush()
    const { points } = timerBatch(fn)
    expect(points.map((p) => `${p.tags.device}@${p.timestamp}`)).toEqual([
      'z2m-001@1795000000123000000',
      'z2m-001@1795000000123000001',
      'z2m-001@1795000000123000002',
      'z2m-002@1795000000123000000',
    ])
  })

  it(`sends a full batch every ${BATCH_POINTS} points and the rest on the timer`, () => {
    const fn = hotPath()
    for (let i = 1; i < BATCH_POINTS; i++) expect(fn.run('zigbee2mqtt/z2m_001', '{"temperature":20}')?.[0]).toBeNull()
    const full = fn.run('zigbee2mqtt/z2m_001', '{"temperature":20}')?.[0]
    expect(full?.payload).toHaveLength(BATCH_POINTS)
    fn.flush()
    expect(fn.sent).toEqual([])
    fn.run('zigbee2mqtt/z2m_001', '{"temperature":20}')
    fn.flush()
    expect(timerBatch(fn).points).toHaveLength(1)
    fn.close()
    expect(fn.cleared).toEqual([1])
  })

  it('ignores topics that name no device and payloads that are not objects', () => {
    const fn = hotPath()
    expect(fn.run('zigbee2mqtt/bridge/state', '{"temperature":20}')).toBeNull()
    expect(fn.run(`${PREFIX}/devices/json-001/state`, '21')).toBeNull()
  })
})
