import { type Static, Type as T } from '@sinclair/typebox'

/** The customer signage page (docs/requirements.md#notices); the signage stream hands it these. */
export const SignageSchema = T.Object(
  {
    rotateSec: T.Number({
      default: 10,
      // below 3 s a customer cannot read a notice through; above 5 min one page hides the others for too long
      minimum: 3,
      maximum: 300,
      description:
        'seconds each page of customer notices stays on signage before the next is shown, when they do not fit on one screen',
    }),
  },
  { additionalProperties: false, default: {} },
)

export type SignageConfig = Static<typeof SignageSchema>
