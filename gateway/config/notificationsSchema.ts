import { type Static, Type as T } from '@sinclair/typebox'
import { ALARM_KINDS, SEVERITIES } from '../core/alarm.js'
import { enumOf } from '../core/schemaHelpers.js'

const channelId = T.String({
  pattern: '^[a-z0-9][a-z0-9_-]{0,62}$',
  description: 'channel id (lower-case letters, digits, - and _)',
})

/**
 * One way to reach people (docs/requirements.md#notifications, docs/requirements.md#channels). The fields a kind does not
 * use are ignored; secrets belong in `${ENV}` references, never in the file.
 */
export const NotificationChannelSchema = T.Object(
  {
    id: channelId,
    kind: enumOf(['webhook', 'wecom', 'dingtalk', 'feishu', 'sms', 'email'] as const),
    url: T.String({
      minLength: 1,
      description:
        'robot webhook URL, webhook endpoint, SMS gateway URL template ({{phone}}, {{text}}), or for email ' +
        'smtp://user:password@relay:587 (STARTTLS when offered) / smtps://…:465',
    }),
    secret: T.Optional(T.String({ minLength: 1, description: 'webhook HMAC key / DingTalk or Feishu signing secret' })),
    headers: T.Optional(T.Record(T.String(), T.String(), { description: 'extra HTTP headers (webhook, sms)' })),
    format: T.Optional(
      enumOf(['markdown', 'text', 'post'] as const, {
        description: 'wecom / dingtalk: markdown | text; feishu: post | text',
      }),
    ),
    timeoutMs: T.Optional(T.Integer({ minimum: 100, description: 'per delivery attempt; default 10 000' })),
    method: T.Optional(enumOf(['POST', 'PUT', 'GET'] as const, { description: 'sms: HTTP method, default POST' })),
    body: T.Optional(T.String({ description: 'sms: body template, e.g. {"to":"{{phone}}","content":"{{text}}"}' })),
    bodyEncoding: T.Optional(enumOf(['json', 'form'] as const, { description: 'sms: escaping of body placeholders' })),
    successPattern: T.Optional(T.String({ description: 'sms: regex the reply must match to count as sent' })),
    retryPattern: T.Optional(T.String({ description: 'sms: regex on the reply meaning "throttled, try later"' })),
    maxTextChars: T.Optional(T.Integer({ minimum: 1, description: 'sms: longer texts are cut' })),
    to: T.Optional(T.Array(T.String({ minLength: 1 }), { description: 'sms: phone numbers; email: addresses' })),
    from: T.Optional(T.String({ minLength: 3, description: 'email: sender, e.g. StoreGuard <alarm@store.example>' })),
    requireTls: T.Optional(T.Boolean({ description: 'email: refuse to send unless the relay upgrades with STARTTLS' })),
  },
  { additionalProperties: false },
)

/**
 * A siren, strobe or buzzer sounded for the alarms routed to it (docs/requirements.md#channels:
 * GPIO outputs as local channels). Named in a route's `channels` or
 * escalation levels like any channel; never on a silent route (robbery).
 */
export const NotificationOutputSchema = T.Object(
  {
    id: channelId,
    devices: T.Array(T.String({ minLength: 1 }), {
      minItems: 1,
      description: 'ids of siren or strobe devices (GPIO, Modbus or MQTT) driven together',
    }),
    pulseOnMs: T.Optional(T.Integer({ minimum: 50, description: 'pulsed: on this long …' })),
    pulseOffMs: T.Optional(T.Integer({ minimum: 50, description: '… then off this long; steady when absent' })),
    until: enumOf(['ack', 'clear', 'closed'] as const, {
      default: 'ack',
      description:
        'sounds while an alarm routed here is unacknowledged (ack), its condition is present (clear), or it is ' +
        'not yet closed (closed); a shelved alarm silences ack and clear outputs',
    }),
    maxSec: T.Optional(
      T.Number({
        exclusiveMinimum: 0,
        description:
          'falls quiet after this long per alarm even if unacknowledged; an escalation or repeat sounds it again',
      }),
    ),
  },
  { additionalProperties: false },
)

/**
 * Non-alarm events a route may take (docs/requirements.md#notifications): ticket deadlines, staff notices, the pre-opening report
 * (the service standard §5.1, docs/requirements.md#store-opening), the alarm-flood summary for managers (docs/requirements.md#suppression-and-alarm-floods, EEMUA 191). Customer notices never.
 */
export const STAFF_EVENTS = [
  'ticket_reminder',
  'ticket_breached',
  'ticket_removal',
  'staff_notice',
  'pre_opening_report',
  'alarm_flood',
] as const
export type StaffEventKind = (typeof STAFF_EVENTS)[number]

/**
 * Which alarms go where. Every condition given must hold; absent means any.
 * A silent alarm (robbery) matches only a route with `silent: true`, and such
 * a route matches only silent alarms (docs/requirements.md#robbery).
 */
export const NotificationRouteSchema = T.Object(
  {
    kinds: T.Optional(T.Array(enumOf(ALARM_KINDS), { description: 'alarm kinds; any when absent' })),
    minSeverity: T.Optional(
      enumOf(SEVERITIES, { description: 'this severity or worse (X.733: critical > major > minor > warning)' }),
    ),
    zones: T.Optional(T.Array(T.String({ minLength: 1 }), { description: 'zones; any when absent' })),
    silent: T.Optional(
      T.Boolean({ description: 'true: for silent alarms (robbery) only; otherwise silent alarms never match' }),
    ),
    hours: enumOf(['business', 'after_hours', 'any'] as const, {
      default: 'any',
      description: 'business: while the store is open (store calendar); after_hours: while it is closed',
    }),
    channels: T.Array(channelId, { minItems: 1, description: 'channel ids notified when the alarm is raised' }),
    escalateAfterSec: T.Optional(
      T.Number({ exclusiveMinimum: 0, description: 'still unacknowledged after this long → escalateTo' }),
    ),
    escalateTo: T.Optional(T.Array(channelId, { description: 'channel ids of the next level' })),
    escalation: T.Optional(
      T.Array(
        T.Object(
          {
            afterSec: T.Number({ exclusiveMinimum: 0, description: 'seconds after the alarm was raised' }),
            channels: T.Array(channelId, { minItems: 1, description: 'channel ids of this level' }),
          },
          { additionalProperties: false },
        ),
        {
          minItems: 1,
          description:
            'levels notified while the alarm stays unacknowledged (staff → duty manager → security centre); ' +
            'escalateAfterSec + escalateTo is the one-level short form',
        },
      ),
    ),
    repeatEverySec: T.Optional(
      T.Number({
        minimum: 10,
        description:
          'after its last level, notify that level again this often until the alarm is acknowledged ' +
          '(the route channels when it has no levels)',
      }),
    ),
    events: T.Optional(
      T.Array(enumOf(STAFF_EVENTS), {
        description:
          'also send these staff events (ticket reminder / overdue / removal due, staff notices posted, the ' +
          'pre-opening report, the alarm-flood summary — list that one on the managers’ route: no route gets it ' +
          'otherwise) to `channels`, within `hours` and `zones` (the store-wide report and summary ignore zones); ' +
          'kinds and minSeverity do not apply to them; never on a silent route. ' +
          'The route still takes alarms as usual: `kinds: []` makes it take none',
      }),
    ),
  },
  { additionalProperties: false },
)

/** Notifications to people (docs/requirements.md#notifications): channels, routes, escalation. */
export const NotificationsSchema = T.Object(
  {
    enabled: T.Boolean({ default: false }),
    consoleUrl: T.Optional(T.String({ minLength: 1, description: 'staff console base URL, linked in messages' })),
    channels: T.Array(NotificationChannelSchema, { default: [] }),
    outputs: T.Array(NotificationOutputSchema, { default: [], description: 'local sirens / strobes as channels' }),
    routes: T.Array(NotificationRouteSchema, { default: [] }),
    groupWindowSec: T.Number({
      minimum: 0,
      default: 30,
      description:
        'alarms of one kind raised to a channel within this window share one message: the first goes at once, ' +
        'the rest as one digest when the window ends; 0 turns grouping off',
    }),
  },
  { additionalProperties: false, default: {} },
)

export type NotificationsConfig = Static<typeof NotificationsSchema>
export type NotificationChannelConfig = Static<typeof NotificationChannelSchema>
export type NotificationRoute = Static<typeof NotificationRouteSchema>
export type NotificationOutputConfig = Static<typeof NotificationOutputSchema>
