import type { OutputsConfig } from './outputsSchema.js'

/** A problem in the `outputs` section; `segments` start below it. */
export interface OutputsProblem {
  readonly segments: readonly (string | number)[]
  readonly message: string
}

/** Device types a fire output may drive, as for notification outputs (notificationsConsistency). */
const SOUNDERS: ReadonlySet<string> = new Set(['siren', 'strobe'])

/** The fire sirens and strobes name configured sirens or strobes: a typo must not leave a fire silent. */
export function outputsProblems(
  config: OutputsConfig,
  devices: ReadonlyMap<string, { readonly type: string }>,
): OutputsProblem[] {
  const problems: OutputsProblem[] = []
  for (const list of ['sirens', 'strobes'] as const) {
    config.fire[list]?.forEach((id, k) => {
      const device = devices.get(id)
      const segments = ['fire', list, k]
      if (device === undefined) problems.push({ segments, message: `"${id}" is not a configured device` })
      else if (!SOUNDERS.has(device.type))
        problems.push({ segments, message: `"${id}" is a ${device.type}; a fire output drives a siren or strobe` })
    })
  }
  return problems
}
