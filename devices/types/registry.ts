import type { DeviceType } from '../../gateway/core/reading.js'
import { airConditioner } from './airConditioner.js'
import { businessSystem } from './businessSystem.js'
import { complaintButton } from './complaintButton.js'
import type { DeviceTypeDefinition } from './deviceTypeDefinition.js'
import { door } from './door.js'
import { heat } from './heat.js'
import { leak } from './leak.js'
import { panicButton } from './panicButton.js'
import { power } from './power.js'
import { printer } from './printer.js'
import { queue } from './queue.js'
import { signageScreen } from './signageScreen.js'
import { siren } from './siren.js'
import { smoke } from './smoke.js'
import { strobe } from './strobe.js'
import { temperature } from './temperature.js'
import { terminal } from './terminal.js'
import { waterLevel } from './waterLevel.js'

/** Every device type, one line each; a missing type does not compile (docs/design.md#typed-registries). */
export const DEVICE_TYPE_DEFINITIONS: { readonly [T in DeviceType]: DeviceTypeDefinition } = {
  smoke: smoke,
  heat: heat,
  water_level: waterLevel,
  leak: leak,
  panic_button: panicButton,
  terminal: terminal,
  power: power,
  temperature: temperature,
  door: door,
  queue: queue,
  business_system: businessSystem,
  siren: siren,
  strobe: strobe,
  printer: printer,
  signage_screen: signageScreen,
  air_conditioner: airConditioner,
  complaint_button: complaintButton,
}
