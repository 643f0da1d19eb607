/**
 * Home Assistant's MQTT discovery schema for the two platforms StoreGuard
 * announces, as JSON Schema with `additionalProperties: false`, so a key HA
 * does not know (a typo, an abbreviation mixed in) fails the test. That is
 * stricter than HA, whose discovery schema drops unknown keys silently
 * (`extra=vol.REMOVE_EXTRA`): a dropped key is a setting that quietly does
 * nothing, which the test should catch all the same. Taken from HA's MQTT integration
 * (homeassistant/components/mqtt: schemas.py for availability, the device and
 * origin blocks and the common entity keys; sensor.py and binary_sensor.py for
 * the platform keys) and the device classes of homeassistant/components/sensor
 * and binary_sensor (`SensorDeviceClass`, `BinarySensorDeviceClass`), with the
 * units HA accepts for the device classes StoreGuard uses.
 */

const topic = { type: 'string', minLength: 1, pattern: '^[^+#]+$' }
const template = { type: 'string', minLength: 1 }

const availabilityItem = {
  type: 'object',
  additionalProperties: false,
  required: ['topic'],
  properties: {
    topic,
    payload_available: { type: 'string' },
    payload_not_available: { type: 'string' },
    value_template: template,
  },
}

/** schemas.py MQTT_ENTITY_DEVICE_INFO_SCHEMA: at least one of identifiers and connections. */
const device = {
  type: 'object',
  additionalProperties: false,
  properties: {
    identifiers: {
      anyOf: [
        { type: 'string', minLength: 1 },
        { type: 'array', items: { type: 'string' }, minItems: 1 },
      ],
    },
    connections: {
      type: 'array',
      minItems: 1,
      items: { type: 'array', items: { type: 'string' }, minItems: 2, maxItems: 2 },
    },
    manufacturer: { type: 'string' },
    model: { type: 'string' },
    model_id: { type: 'string' },
    name: { type: 'string' },
    hw_version: { type: 'string' },
    serial_number: { type: 'string' },
    sw_version: { type: 'string' },
    via_device: { type: 'string' },
    suggested_area: { type: 'string' },
    configuration_url: { type: 'string', format: 'uri' },
  },
  anyOf: [{ required: ['identifiers'] }, { required: ['connections'] }],
}

/** schemas.py MQTT_ORIGIN_INFO_SCHEMA. */
const origin = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: { name: { type: 'string' }, sw_version: { type: 'string' }, support_url: { type: 'string' } },
}

/** MQTT_ENTITY_COMMON_SCHEMA + MQTT_RO_PLATFORM_SCHEMA (state_topic, value_template, qos, encoding). */
const common = {
  availability: { type: 'array', items: availabilityItem, minItems: 1 },
  availability_mode: { enum: ['all', 'any', 'latest'] },
  availability_topic: topic,
  availability_template: template,
  payload_available: { type: 'string' },
  payload_not_available: { type: 'string' },
  device,
  origin,
  enabled_by_default: { type: 'boolean' },
  // sensors and binary sensors only report: HA refuses the `config` category for them
  entity_category: { enum: ['diagnostic'] },
  entity_picture: { type: 'string', format: 'uri' },
  group: { type: 'array', items: { type: 'string' } },
  icon: { type: 'string', pattern: '^[a-z0-9-]+:[a-z0-9-]+$' },
  json_attributes_topic: topic,
  json_attributes_template: template,
  object_id: { type: 'string' },
  default_entity_id: { type: 'string' },
  unique_id: { type: 'string', minLength: 1 },
  name: { type: ['string', 'null'] },
  platform: { const: 'mqtt' },
  state_topic: topic,
  value_template: template,
  qos: { enum: [0, 1, 2] },
  encoding: { type: 'string' },
  expire_after: { type: 'integer', minimum: 0 },
  force_update: { type: 'boolean' },
}

// biome-ignore format: one list, as HA spells it
export const SENSOR_DEVICE_CLASSES = [
  'absolute_humidity', 'apparent_power', 'aqi', 'area', 'atmospheric_pressure', 'battery',
  'blood_glucose_concentration', 'carbon_dioxide', 'carbon_monoxide', 'conductivity', 'current', 'data_rate',
  'data_size', 'date', 'distance', 'duration', 'energy', 'energy_distance', 'energy_storage', 'enum', 'frequency',
  'gas', 'humidity', 'illuminance', 'irradiance', 'moisture', 'monetary', 'nitrogen_dioxide', 'nitrogen_monoxide',
  'nitrous_oxide', 'ozone', 'ph', 'pm1', 'pm10', 'pm25', 'power', 'power_factor', 'precipitation',
  'precipitation_intensity', 'pressure', 'reactive_energy', 'reactive_power', 'signal_strength', 'sound_pressure',
  'speed', 'sulphur_dioxide', 'temperature', 'temperature_delta', 'timestamp', 'uptime', 'volatile_organic_compounds',
  'volatile_organic_compounds_parts', 'voltage', 'volume', 'volume_flow_rate', 'volume_storage', 'water', 'weight',
  'wind_direction', 'wind_speed',
]

// biome-ignore format: one list, as HA spells it
export const BINARY_SENSOR_DEVICE_CLASSES = [
  'battery', 'battery_charging', 'carbon_monoxide', 'cold', 'connectivity', 'door', 'garage_door', 'gas', 'heat',
  'light', 'lock', 'moisture', 'motion', 'moving', 'occupancy', 'opening', 'plug', 'power', 'presence', 'problem',
  'running', 'safety', 'smoke', 'sound', 'tamper', 'update', 'vibration', 'window',
]

/** The units HA's sensor platform accepts for the device classes StoreGuard uses (sensor/const.py DEVICE_CLASS_UNITS). */
const unitsOf = (deviceClass: string, units: readonly string[]) => ({
  if: { required: ['device_class'], properties: { device_class: { const: deviceClass } } },
  // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if / then, not a thenable
  then: { required: ['unit_of_measurement'], properties: { unit_of_measurement: { enum: units } } },
})

export const SENSOR_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['state_topic'],
  dependentRequired: { device: ['unique_id'] },
  properties: {
    ...common,
    device_class: { enum: SENSOR_DEVICE_CLASSES },
    state_class: { enum: ['measurement', 'measurement_angle', 'total', 'total_increasing'] },
    unit_of_measurement: { type: ['string', 'null'] },
    suggested_display_precision: { type: 'integer', minimum: 0 },
    options: { type: 'array', items: { type: 'string' } },
    last_reset_value_template: template,
  },
  allOf: [
    unitsOf('battery', ['%']),
    unitsOf('temperature', ['°C', '°F', 'K']),
    unitsOf('humidity', ['%']),
    // HA spells micro with the Greek μ (U+03BC); newer releases also take the micro sign µ (U+00B5)
    unitsOf('duration', ['d', 'h', 'min', 's', 'ms', 'μs', 'µs']),
    unitsOf('voltage', ['V', 'mV', 'μV', 'µV', 'kV', 'MV']),
    unitsOf('distance', ['km', 'm', 'cm', 'mm', 'in', 'ft', 'yd', 'mi', 'nmi']),
    // sensor.py: `options` only for an enum sensor, which has no state class or unit
    {
      if: { required: ['options'] },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if / then, not a thenable
      then: {
        required: ['device_class'],
        properties: { device_class: { const: 'enum' }, options: { type: 'array', minItems: 1 } },
        not: { anyOf: [{ required: ['state_class'] }, { required: ['unit_of_measurement'] }] },
      },
    },
    // NON_NUMERIC_DEVICE_CLASSES: a date, enum or timestamp has no state class and no unit
    {
      if: { required: ['device_class'], properties: { device_class: { enum: ['date', 'enum', 'timestamp'] } } },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if / then, not a thenable
      then: { not: { anyOf: [{ required: ['state_class'] }, { required: ['unit_of_measurement'] }] } },
    },
    // a last reset only means something for a `total`
    {
      if: { required: ['last_reset_value_template'] },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if / then, not a thenable
      then: { required: ['state_class'], properties: { state_class: { const: 'total' } } },
    },
  ],
  // schemas.py: vol.Exclusive — HA refuses both ways of giving availability at once
  not: { required: ['availability', 'availability_topic'] },
}

export const BINARY_SENSOR_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['state_topic'],
  dependentRequired: { device: ['unique_id'] },
  properties: {
    ...common,
    device_class: { enum: BINARY_SENSOR_DEVICE_CLASSES },
    off_delay: { type: 'integer', minimum: 0 },
    payload_on: { type: 'string' },
    payload_off: { type: 'string' },
  },
  not: { required: ['availability', 'availability_topic'] },
}

/** Discovery topic: `<discovery_prefix>/<component>/[<node_id>/]<object_id>/config`, ids of [a-zA-Z0-9_-]. */
export const DISCOVERY_TOPIC = /^(.+)\/(sensor|binary_sensor)\/(?:([a-zA-Z0-9_-]+)\/)?([a-zA-Z0-9_-]+)\/config$/
