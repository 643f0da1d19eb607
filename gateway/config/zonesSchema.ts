import { type Static, Type as T } from '@sinclair/typebox'
import { id } from '../core/schemaHelpers.js'
import type { ZoneNames } from '../core/zoneNames.js'

/**
 * The `zones` section: what staff call each zone (docs/requirements.md#console). A device's
 * `zone` is an id such as `hall`; the console, alarm messages, notices and notifications show
 * the zone's name in their language instead (gateway/core/zoneNames.ts). Listing a zone is optional (an unlisted zone shows its id); listing one twice is not.
 */
export const ZoneSchema = T.Object(
  {
    id: id('zone id, as in devices[].zone'),
    name: T.Object(
      {
        'zh-CN': T.String({ minLength: 1 }),
        en: T.String({ minLength: 1 }),
      },
      { additionalProperties: false, description: 'display name in each language, e.g. 营业厅 / Sales hall' },
    ),
  },
  { additionalProperties: false },
)

export const ZonesSchema = T.Array(ZoneSchema, {
  default: [],
  description: 'display names of the zones devices are in; a zone not listed shows its id',
})

export type ZoneConfig = Static<typeof ZoneSchema>

/** The `zones` section as a lookup by id, for whatever names zones in its texts. */
export function zoneNamesOf(zones: readonly ZoneConfig[]): ZoneNames {
  return Object.fromEntries(zones.map((z) => [z.id, z.name]))
}

/** Each listed zone once: a second entry would silently lose to the first. */
export function zoneProblems(zones: readonly ZoneConfig[]): { segments: (string | number)[]; message: string }[] {
  const seen = new Map<string, number>()
  const problems: { segments: (string | number)[]; message: string }[] = []
  zones.forEach((zone, i) => {
    const first = seen.get(zone.id)
    if (first === undefined) seen.set(zone.id, i)
    else problems.push({ segments: ['zones', i, 'id'], message: `"${zone.id}" is already listed at zones[${first}]` })
  })
  return problems
}
