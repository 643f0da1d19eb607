import type { MetricDefinition } from '../../devices/types/deviceTypeDefinition.js'
import { DEVICE_TYPE_DEFINITIONS } from '../../devices/types/registry.js'
import type { DeviceType } from '../core/reading.js'

/** The two HA platforms the gateway announces: it only reports, HA commands nothing. */
export type EntityComponent = 'sensor' | 'binary_sensor'

/** How one reading metric looks in Home Assistant. */
export interface MetricEntity {
  readonly metric: string
  readonly component: EntityComponent
  /** The entity's name under its device, e.g. `Battery`. */
  readonly name: string
  readonly deviceClass?: string
  readonly unit?: string
  readonly stateClass?: 'measurement'
  /** Diagnostic entities (battery, link quality, tamper) are listed apart from the device's main readings. */
  readonly diagnostic?: boolean
  /** Binary sensors: the reading that means "on" in HA's sense of the device class (default `true`). */
  readonly onWhen?: boolean
}

type Hint = Omit<MetricEntity, 'metric' | 'component' | 'name' | 'unit'> & { readonly name?: string }

/**
 * HA's meaning of a metric, where HA has one: the device classes of its sensor
 * and binary_sensor platforms (docs/home-assistant.md#entities). Units come from
 * the device type's own definition, so they cannot drift from what the gateway reads.
 */
const HINTS: Readonly<Record<string, Hint>> = {
  smoke: { deviceClass: 'smoke' },
  heat_alarm: { deviceClass: 'heat', name: 'Heat alarm' },
  water_leak: { deviceClass: 'moisture', name: 'Water leak' },
  temperature: { deviceClass: 'temperature', stateClass: 'measurement' },
  humidity: { deviceClass: 'humidity', stateClass: 'measurement' },
  level_cm: { deviceClass: 'distance', stateClass: 'measurement', name: 'Water level' },
  smoke_density: { stateClass: 'measurement', name: 'Smoke density' },
  battery: { deviceClass: 'battery', stateClass: 'measurement', diagnostic: true },
  battery_pct: { deviceClass: 'battery', stateClass: 'measurement', name: 'Battery' },
  battery_low: { deviceClass: 'battery', diagnostic: true, name: 'Battery low' },
  battery_state: { diagnostic: true, name: 'Battery state' },
  voltage: { deviceClass: 'voltage', stateClass: 'measurement', diagnostic: true },
  tamper: { deviceClass: 'tamper', diagnostic: true },
  linkquality: { stateClass: 'measurement', diagnostic: true, name: 'Link quality' },
  test: { diagnostic: true, name: 'Test button' },
  // zigbee2mqtt's `contact` is true when closed; HA's door is on when open
  contact: { deviceClass: 'door', name: 'Door', onWhen: false },
  mains_ok: { deviceClass: 'power', name: 'Mains power' },
  on_battery: { deviceClass: 'problem', name: 'On battery' },
  runtime_min: { deviceClass: 'duration', stateClass: 'measurement', name: 'Runtime left' },
  waiting: { stateClass: 'measurement', name: 'Customers waiting' },
  wait_min: { deviceClass: 'duration', stateClass: 'measurement', name: 'Waiting time' },
  counters_open: { stateClass: 'measurement', name: 'Open counters' },
  status: {},
  fault_codes: { name: 'Fault codes' },
  paper_low: { deviceClass: 'problem', name: 'Paper low' },
  uptime_sec: { deviceClass: 'duration', diagnostic: true, name: 'Uptime' },
  up: { deviceClass: 'connectivity', name: 'Business system' },
  latency_ms: { deviceClass: 'duration', stateClass: 'measurement', diagnostic: true, name: 'Latency' },
}

/** A siren's and a strobe's `on` mean different things to HA. */
const TYPE_HINTS: Partial<Record<DeviceType, Readonly<Record<string, Hint>>>> = {
  siren: { on: { deviceClass: 'sound', name: 'Sounding' } },
  strobe: { on: { deviceClass: 'light', name: 'Flashing' } },
}

/**
 * Device types whose readings are a silent alarm itself (docs/requirements.md#robbery):
 * a panic button's `pressed`, `loop_ok` and `action`, and even when it was
 * last heard from (a GPIO button is heard only when pressed). The API hides
 * them below manager (gateway/http/alarmVisibility.ts); HA is a screen anyone
 * in the store may see, so they are not announced at all.
 */
export const SILENT_DEVICE_TYPES: ReadonlySet<DeviceType> = new Set<DeviceType>(['panic_button'])

/** Every metric of `type` as an HA entity; none for a silent device type. */
export function metricEntities(type: DeviceType): MetricEntity[] {
  if (SILENT_DEVICE_TYPES.has(type)) return []
  const metrics = DEVICE_TYPE_DEFINITIONS[type].metrics
  return Object.entries(metrics).map(([metric, definition]) =>
    entityOf(metric, definition, TYPE_HINTS[type]?.[metric] ?? HINTS[metric] ?? {}),
  )
}

function entityOf(metric: string, definition: MetricDefinition, hint: Hint): MetricEntity {
  const { name, ...rest } = hint
  return {
    metric,
    component: definition.kind === 'boolean' ? 'binary_sensor' : 'sensor',
    name: name ?? titleOf(metric),
    // a unit only for numbers: HA refuses a unit on a string sensor
    ...(definition.kind === 'number' && definition.unit !== undefined ? { unit: definition.unit } : {}),
    ...rest,
  }
}

/** `battery_state` → `Battery state`. */
function titleOf(metric: string): string {
  const words = metric.replace(/_/g, ' ')
  return words.charAt(0).toUpperCase() + words.slice(1)
}
