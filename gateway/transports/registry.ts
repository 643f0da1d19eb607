import { gpioTransport } from './gpioTransport.js'
import { modbusRtuTransport, modbusTcpTransport } from './modbusTransport.js'
import { mqttTransport } from './mqttTransport.js'
import type { Transport } from './transport.js'

/**
 * Every transport, in start order; they stop in reverse. MQTT starts last, as
 * it always has, after the field buses. A new transport is one module and
 * one line here.
 */
export const TRANSPORTS: readonly Transport[] = [modbusRtuTransport, modbusTcpTransport, gpioTransport, mqttTransport]
