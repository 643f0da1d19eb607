import { type Static, Type as T } from '@sinclair/typebox'

const deviceIds = (description: string) => T.Optional(T.Array(T.String(), { description }))

/** The local outputs the gateway drives itself (docs/design.md#outputs); gateway/outputs takes this section. */
export const OutputsSchema = T.Object(
  {
    fire: T.Object(
      {
        sirens: deviceIds('siren devices to sound on fire; default: every siren'),
        strobes: deviceIds('strobe devices to flash on fire; default: every strobe'),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false, default: {} },
)

export type OutputsConfig = Static<typeof OutputsSchema>
