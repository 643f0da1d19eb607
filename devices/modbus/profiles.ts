import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Static, Type as T } from '@sinclair/typebox'
import { Ajv, type ValidateFunction } from 'ajv'
import { parse } from 'yaml'
import { StoreGuardError } from '../../gateway/core/errors.js'
import { type ModbusDeviceConfig, type RegisterConfig, RegisterSchema } from './modbusSchema.js'

/**
 * Shipped Modbus register maps (devices/profiles/<name>.yaml), checked
 * against the same RegisterSchema as inline registers (docs/design.md#one-config-source: one
 * source of truth; node-zwave-js-style device definitions as data).
 */

export const ProfileSchema = T.Object(
  {
    description: T.Optional(T.String()),
    registers: T.Array(RegisterSchema, { minItems: 1 }),
  },
  { additionalProperties: false },
)
export type Profile = Static<typeof ProfileSchema>

/** Profile name → its registers, defaults filled in. */
export type Profiles = ReadonlyMap<string, readonly RegisterConfig[]>

let compiled: ValidateFunction<Profile> | null = null

/**
 * The profile schema's validator, compiled on first use: only a store with Modbus devices reads
 * profiles, and compiling it at import cost every gateway ~4 MB of start-up garbage
 * (docs/performance.md#idle-memory).
 */
function profileValidator(): ValidateFunction<Profile> {
  compiled ??= new Ajv({ allErrors: true, useDefaults: true, strict: false }).compile<Profile>(ProfileSchema)
  return compiled
}

/**
 * devices/profiles in the source tree. The YAML is not compiled into dist/,
 * so from dist/devices/modbus/ it is three levels up.
 */
export function defaultProfilesDir(): string {
  const candidates = ['../profiles/', '../../../devices/profiles/'].map((rel) =>
    fileURLToPath(new URL(rel, import.meta.url)),
  )
  return candidates.find((dir) => existsSync(dir)) ?? (candidates[0] as string)
}

/** Reads every `*.yaml` in `dir`; throws `config_invalid` naming the file and what is wrong. */
export function loadProfiles(dir: string = defaultProfilesDir()): Profiles {
  const profiles = new Map<string, readonly RegisterConfig[]>()
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()) {
    const name = basename(file, '.yaml')
    profiles.set(name, parseProfile(name, readFileSync(join(dir, file), 'utf8')))
  }
  return profiles
}

/** One profile's registers from its YAML text. */
export function parseProfile(name: string, text: string): RegisterConfig[] {
  let data: unknown
  try {
    data = parse(text)
  } catch (err) {
    throw new StoreGuardError('config_invalid', `Modbus profile ${name}: not valid YAML`, { cause: err })
  }
  const validate = profileValidator()
  if (!validate(data)) {
    const problems = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`)
    throw new StoreGuardError('config_invalid', `Modbus profile ${name}: ${problems.join('; ')}`)
  }
  const seen = new Set<string>()
  for (const register of data.registers) {
    if (seen.has(register.metric)) {
      throw new StoreGuardError('config_invalid', `Modbus profile ${name}: metric ${register.metric} is mapped twice`)
    }
    seen.add(register.metric)
  }
  return data.registers
}

/**
 * A device's register map: its profile's registers, then its inline ones;
 * an inline register replaces the profile's register for the same metric
 * (a site's UPS card that puts one value elsewhere needs one line, not a
 * copied profile). Throws `config_invalid` for an unknown profile.
 */
export function resolveRegisters(
  device: { readonly id: string; readonly modbus: Pick<ModbusDeviceConfig, 'profile' | 'registers'> },
  profiles: Profiles,
): RegisterConfig[] {
  const { profile, registers } = device.modbus
  let base: readonly RegisterConfig[] = []
  if (profile !== undefined) {
    const found = profiles.get(profile)
    if (found === undefined) {
      const known = [...profiles.keys()].join(', ') || 'none'
      throw new StoreGuardError(
        'config_invalid',
        `device ${device.id}: unknown Modbus profile "${profile}" (known: ${known})`,
      )
    }
    base = found
  }
  const inline = new Set(registers.map((r) => r.metric))
  return [...base.filter((r) => !inline.has(r.metric)), ...registers]
}
