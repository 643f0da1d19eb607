import { Type as T } from '@sinclair/typebox'
import { enumOf, id } from '../core/schemaHelpers.js'
import { OpeningHoursSchema, SpecialDaySchema } from './ticketSchema.js'

/** The `store` section: who the store is, where its clock is and when it is open. */

const BusinessDay = OpeningHoursSchema

export const StoreSchema = T.Object(
  {
    id: id('store id, also the InfluxDB `store` tag and part of the topic prefix'),
    name: T.String({ minLength: 1, default: 'StoreGuard store' }),
    timeZone: T.String({ minLength: 1, default: 'Asia/Shanghai', description: 'IANA time zone of the store' }),
    locale: enumOf(['zh-CN', 'en'] as const, { default: 'zh-CN' }),
    // a name or the number itself: a store of a regional brand may give customers another hotline
    operator: T.String({
      pattern: '^(mobile|unicom|telecom|[0-9]{3,20})$',
      default: 'mobile',
      description:
        'mobile (hotline 10086), unicom (10010), telecom (10000), or the hotline number itself in digits, e.g. "95555"',
    }),
    // docs/requirements.md#network-fault: customer notices of a fault offer another store to go to
    nearbyStore: T.Optional(
      T.Object(
        { 'zh-CN': T.String({ minLength: 1, maxLength: 120 }), en: T.String({ minLength: 1, maxLength: 120 }) },
        {
          additionalProperties: false,
          description:
            'where customers can go during a fault, with directions, in each language, e.g. 人民路营业厅（出门右转步行 5 分钟） / our Renmin Road store (turn right, 5 minutes on foot); the {nearbyStore} of customer notices. Default: any of our stores nearby',
        },
      ),
    ),
    topicPrefix: T.Optional(T.String({ minLength: 1, description: 'default storeguard/<store id>' })),
    businessHours: T.Object(
      {
        mon: BusinessDay,
        tue: BusinessDay,
        wed: BusinessDay,
        thu: BusinessDay,
        fri: BusinessDay,
        sat: BusinessDay,
        sun: BusinessDay,
      },
      {
        additionalProperties: false,
        default: Object.fromEntries(
          ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ open: '09:00', close: '21:00' }]]),
        ),
      },
    ),
    specialDays: T.Array(SpecialDaySchema, {
      default: [],
      description: 'closures (hours: []) and days with other hours, e.g. Spring Festival',
    }),
  },
  { additionalProperties: false },
)
