import { QUIET_KINDS } from '../core/quietAlarms.js'
import type { NotificationsConfig } from './notificationsSchema.js'

/** A problem in the `notifications` section; `segments` start below it. */
export interface NotificationProblem {
  readonly segments: readonly (string | number)[]
  readonly message: string
}

/** Device types a notification output may drive. */
const SOUNDERS: ReadonlySet<string> = new Set(['siren', 'strobe'])

/**
 * Cross-references a JSON Schema cannot say, for `notifications`: unique
 * channel and output ids, routes naming only those, email URLs and senders,
 * outputs on real sirens and strobes (when `devices` is given), and docs/requirements.md#robbery
 * robbery: a silent route never names a local output — a siren must not
 * sound for a hold-up; nor does a route for quiet kinds only (docs/requirements.md#escalated-complaint).
 */
export function notificationProblems(
  config: NotificationsConfig,
  devices: ReadonlyMap<string, { readonly type: string }> | null,
): NotificationProblem[] {
  const problems: NotificationProblem[] = []
  const add = (segments: (string | number)[], message: string) => problems.push({ segments, message })
  const ids = new Map<string, string>()
  const claim = (id: string, where: string, segments: (string | number)[]) => {
    const first = ids.get(id)
    if (first !== undefined) add(segments, `"${id}" is already the id of ${first}`)
    else ids.set(id, where)
  }
  config.channels.forEach((c, i) => {
    claim(c.id, `channels[${i}]`, ['channels', i, 'id'])
    if (c.kind !== 'email') return
    if (!/^smtps?:\/\/[^/]/.test(c.url))
      add(['channels', i, 'url'], 'must be smtp://… or smtps://… for an email channel')
    if (c.from === undefined) add(['channels', i, 'from'], 'is required for an email channel')
    if ((c.to?.length ?? 0) === 0) add(['channels', i, 'to'], 'must list at least one address for an email channel')
  })
  const outputs = new Set(config.outputs.map((o) => o.id))
  config.outputs.forEach((o, i) => {
    claim(o.id, `outputs[${i}]`, ['outputs', i, 'id'])
    if (devices === null) return
    o.devices.forEach((id, k) => {
      const device = devices.get(id)
      if (device === undefined) add(['outputs', i, 'devices', k], `"${id}" is not a configured device`)
      else if (!SOUNDERS.has(device.type))
        add(['outputs', i, 'devices', k], `"${id}" is a ${device.type}; an output drives a siren or strobe`)
    })
  })
  config.routes.forEach((route, i) => {
    const quietOnly =
      route.kinds !== undefined && route.kinds.length > 0 && route.kinds.every((k) => QUIET_KINDS.has(k))
    const named: [(string | number)[], string][] = [
      ...route.channels.map((id, k): [(string | number)[], string] => [['routes', i, 'channels', k], id]),
      ...(route.escalateTo ?? []).map((id, k): [(string | number)[], string] => [['routes', i, 'escalateTo', k], id]),
      ...(route.escalation ?? []).flatMap((level, l) =>
        level.channels.map((id, k): [(string | number)[], string] => [
          ['routes', i, 'escalation', l, 'channels', k],
          id,
        ]),
      ),
    ]
    for (const [segments, id] of named) {
      if (!ids.has(id)) add(segments, `names unknown channel "${id}" (not in notifications.channels or .outputs)`)
      else if (route.silent === true && outputs.has(id))
        add(segments, `"${id}" is a local output; a silent route (robbery) must never sound a siren or strobe`)
      else if (quietOnly && outputs.has(id))
        add(segments, `"${id}" is a local output; nothing sounds for ${route.kinds?.join(', ')} alarms`)
    }
  })
  return problems
}
