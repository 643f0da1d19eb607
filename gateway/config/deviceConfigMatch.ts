import type {
  DeviceConfig as AdapterDeviceConfig,
  PayloadFormat as AdapterPayloadFormat,
} from '../../devices/deviceConfig.js'
import type { DeviceConfig, PayloadFormat } from './schema.js'

/**
 * devices/ declares the device entry it reads as a plain type so it never imports gateway/config;
 * these aliases fail the type check the moment that type and the schema's differ.
 */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
type Holds<T extends true> = T

export type DeviceConfigMatchesSchema = Holds<Same<DeviceConfig, AdapterDeviceConfig>>
export type PayloadFormatMatchesSchema = Holds<Same<PayloadFormat, AdapterPayloadFormat>>
