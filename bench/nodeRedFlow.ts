import { type BenchDevice, type ContenderOptions, HEAT_THRESHOLD_C, PREFIX } from './workload.js'

/**
 * The Node-RED flow equivalent to StoreGuard's hot path for the benchmark
 * workload (bench/workload.ts):
 *
 *   mqtt in (sensor + leak topics, QoS 1, parsed JSON)
 *     → function "storeguard hot path" (device id, thresholds, batching)
 *         output 1 → influxdb batch (node-red-contrib-influxdb, InfluxDB 1.x)
 *         output 2 → mqtt out (alarms, QoS 1, not retained)
 *
 * A pure function of the options, so a test can read it and run the
 * function node's code without Node-RED.
 */

/** Points per write: StoreGuard's default `influx.batchSize`. */
export const BATCH_POINTS = 5000
/** A partial batch is written after this long: StoreGuard's default flush interval. */
export const FLUSH_MS = 1000

/** One node of a Node-RED flow file (the format is loosely typed by nature). */
export type FlowNode = { readonly id: string; readonly type: string } & Readonly<Record<string, unknown>>

const ID = {
  tab: 'sgbenchtab',
  broker: 'sgbenchbroker',
  influx: 'sgbenchinflux',
  hotPath: 'sgbenchhotpath',
  influxOut: 'sgbenchinfluxout',
  alarmOut: 'sgbenchalarmout',
} as const

/** The subscriptions covering every device: one wildcard per topic shape, in first-seen order. */
export function subscriptionTopics(devices: readonly BenchDevice[]): string[] {
  const topics = new Set<string>()
  for (const { topic } of devices) {
    const own = /^(.*)\/devices\/[^/]+\/state$/.exec(topic)
    if (/^zigbee2mqtt\/[^/]+$/.test(topic)) topics.add('zigbee2mqtt/+')
    else if (own) topics.add(`${own[1]}/devices/+/state`)
    else topics.add(topic)
  }
  return [...topics]
}

/** Host and port of a URL, with the scheme's usual port when it names none. */
function hostPort(url: string, defaultPort: number): { host: string; port: string } {
  const parsed = new URL(url)
  return { host: parsed.hostname, port: parsed.port === '' ? String(defaultPort) : parsed.port }
}

/**
 * The function node's setup code: one mutable state object in the node's
 * (in-memory, by-reference) context, and the timer that writes a partial
 * batch; Node-RED also clears sandbox timers on close, `finalize` does it
 * explicitly.
 */
export const HOT_PATH_INITIALIZE = `
const state = { batch: [], last: {} };
context.set('state', state);
context.set('timer', setInterval(() => {
  if (state.batch.length === 0) return;
  const payload = state.batch;
  state.batch = [];
  // false: no deep clone of the batch (the only receiver is the influxdb node)
  node.send([{ payload }, null], false);
}, ${FLUSH_MS}));
`

export const HOT_PATH_FINALIZE = `clearInterval(context.get('timer'));`

/**
 * The function node's per-message code. Output 1: a batch of points for the
 * influxdb batch node (every BATCH_POINTS points; the timer sends a partial
 * batch after FLUSH_MS); output 2: alarms for mqtt out.
 *
 * Timestamps: InfluxDB keeps one value per series, field and timestamp, so
 * two readings of one device in the same millisecond would overwrite each
 * other and the count would come up short. Each point gets the receive time
 * in ns (ms * 1e6) plus a per-device sequence number within that
 * millisecond, written as a string: ms * 1e6 is far above 2^53, so a JS
 * number could not carry the low digits, and node-influx passes numeric
 * strings through unchanged (the batch node writes with precision 'n').
 * StoreGuard gets the same guarantee by moving a colliding point 1 ms on.
 */
export const HOT_PATH_FUNCTION = `
const topic = msg.topic;
let deviceId;
const z2m = /^zigbee2mqtt\\/([^/]+)$/.exec(topic);
if (z2m) {
  deviceId = z2m[1].replace(/_/g, '-');
} else {
  const own = /\\/devices\\/([^/]+)\\/state$/.exec(topic);
  if (!own) return null;
  deviceId = own[1];
}
const p = msg.payload;
if (p === null || typeof p !== 'object' || Array.isArray(p)) return null;

const alarms = [];
const alarm = (kind, severity, conditionActive) => ({
  topic: ${JSON.stringify(PREFIX)} + '/alarms/' + deviceId,
  payload: JSON.stringify({ kind, deviceId, severity, conditionActive, raisedAt: new Date().toISOString() }),
});
if (typeof p.water_leak === 'boolean') alarms.push(alarm('flood', 'major', p.water_leak));
if (typeof p.temperature !== 'number') return [null, alarms];
if (p.temperature >= ${HEAT_THRESHOLD_C}) alarms.push(alarm('fire', 'critical', true));

const fields = {};
for (const key in p) {
  const value = p[key];
  if (typeof value === 'number' && Number.isFinite(value)) fields[key] = value;
}
const state = context.get('state');
const ms = Date.now();
const last = state.last[deviceId];
let seq = 0;
if (last !== undefined && last.ms === ms) seq = last.seq + 1;
state.last[deviceId] = { ms, seq };
state.batch.push({
  measurement: 'sensor',
  fields,
  tags: { device: deviceId },
  timestamp: String(ms) + String(seq).padStart(6, '0'),
});
if (state.batch.length < ${BATCH_POINTS}) return [null, alarms];
const payload = state.batch;
state.batch = [];
return [{ payload }, alarms];
`

/** The whole flow file (flows.json) for these options. */
export function nodeRedFlow(
  options: Pick<ContenderOptions, 'brokerUrl' | 'influxUrl' | 'database' | 'devices'>,
): FlowNode[] {
  const broker = hostPort(options.brokerUrl, 1883)
  const influx = hostPort(options.influxUrl, 8086)
  const inputs: FlowNode[] = subscriptionTopics(options.devices).map((topic, i) => ({
    id: `sgbenchin${i}`,
    type: 'mqtt in',
    z: ID.tab,
    name: '',
    topic,
    qos: '1',
    datatype: 'json',
    broker: ID.broker,
    nl: false,
    rap: true,
    rh: 0,
    inputs: 0,
    x: 140,
    y: 80 + 60 * i,
    wires: [[ID.hotPath]],
  }))
  return [
    { id: ID.tab, type: 'tab', label: 'StoreGuard bench', disabled: false, info: '' },
    {
      id: ID.broker,
      type: 'mqtt-broker',
      name: 'bench broker',
      broker: broker.host,
      port: broker.port,
      clientid: '',
      autoConnect: true,
      usetls: false,
      protocolVersion: '4',
      keepalive: '60',
      cleansession: true,
      autoUnsubscribe: true,
      birthTopic: '',
      closeTopic: '',
      willTopic: '',
    },
    {
      id: ID.influx,
      type: 'influxdb',
      hostname: influx.host,
      port: influx.port,
      protocol: 'http',
      database: options.database,
      name: 'bench influxd',
      usetls: false,
      tls: '',
      influxdbVersion: '1.x',
      url: '',
      timeout: '',
      rejectUnauthorized: false,
    },
    ...inputs,
    {
      id: ID.hotPath,
      type: 'function',
      z: ID.tab,
      name: 'storeguard hot path',
      func: HOT_PATH_FUNCTION,
      outputs: 2,
      timeout: 0,
      noerr: 0,
      initialize: HOT_PATH_INITIALIZE,
      finalize: HOT_PATH_FINALIZE,
      libs: [],
      x: 420,
      y: 110,
      wires: [[ID.influxOut], [ID.alarmOut]],
    },
    {
      id: ID.influxOut,
      type: 'influxdb batch',
      z: ID.tab,
      influxdb: ID.influx,
      precision: 'n',
      retentionPolicy: '',
      name: 'sensor points',
      database: options.database,
      precisionV18FluxV20: 'ns',
      retentionPolicyV18Flux: '',
      org: '',
      bucket: '',
      x: 700,
      y: 80,
      wires: [],
    },
    {
      id: ID.alarmOut,
      type: 'mqtt out',
      z: ID.tab,
      name: 'alarms',
      topic: '',
      qos: '1',
      retain: 'false',
      respTopic: '',
      contentType: '',
      userProps: '',
      correl: '',
      expiry: '',
      broker: ID.broker,
      x: 680,
      y: 140,
      wires: [],
    },
  ]
}
