import type { PayloadFormat } from '../deviceSchema.js'
import { decodeBareValue } from './bareValue.js'
import type { DecodeResult } from './decodeResult.js'
import { decodeGenericJson } from './genericJson.js'
import { decodeZigbee2mqtt } from './zigbee2mqtt.js'

/** One entry per payload format; a missing format does not compile. */
const DECODERS: { readonly [F in PayloadFormat]: (payload: Buffer, metric: string | null) => DecodeResult } = {
  json: (payload) => decodeGenericJson(payload),
  zigbee2mqtt: (payload) => decodeZigbee2mqtt(payload),
  bare: (payload, metric) => decodeBareValue(payload, metric ?? 'value'),
}

export function decodeMessage(format: PayloadFormat, payload: Buffer, metric: string | null): DecodeResult {
  return DECODERS[format](payload, metric)
}
