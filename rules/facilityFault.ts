import { type Static, Type as T } from '@sinclair/typebox'
import type { LocalizedText } from '../gateway/core/alarm.js'
import type { Intent, RaiseIntent } from '../gateway/core/intent.js'
import { DEVICE_TYPES } from '../gateway/core/reading.js'
import { facilityHealth } from './facilityHealth.js'
import { customerNoticeTexts } from './facilityTexts.js'
import { type DeviceInfo, enabled, type Rule, type RuleView } from './rule.js'

/** One fault alarm, one customer notice and one ticket per facility and fault episode (docs/requirements.md#ticketable-facilities). */
export const facilityFaultKey = (deviceId: string): string => `facility_fault:${deviceId}`

interface Episode {
  /** The device's fault code the alarm shows; '' when it gave none. */
  code: string
  /** When the facility became healthy again (ms); null while in fault. */
  healthySince: number | null
  /** What the alarm was last raised with; null after a restart, so the next evaluation refreshes it. */
  shown: string | null
  /** The episode's one ticket request is still to be made (next tick: a report may come one metric at a time). */
  ticketDue: boolean
  /** The customer notice as last posted; null: to post on the next evaluation. */
  notice: string | null
}

/** The facility fault rule's section of `rules` in the config file. */
export const FacilityFaultSettings = T.Object(
  {
    enabled,
    settleSec: T.Number({ default: 120, minimum: 0, description: 'healthy this long before a fault clears' }),
  },
  { additionalProperties: false, default: {} },
)
export type FacilityFaultSettings = Static<typeof FacilityFaultSettings>

/**
 * A ticketable facility's own fault report and its repair ticket (docs/requirements.md#ticketable-facilities):
 * the terminal-fault rule's episode, for every device type marked ticketable — queue machines,
 * printers, signage screens, air conditioning, doors. A fault opens an episode: a `facility_fault`
 * alarm (major for what customers use, minor otherwise), a customer notice on a customer-facing one
 * (docs/requirements.md#customer-notices-say-when) and one ticket request. Healthy for `settleSec`
 * ends it. Terminals keep their own rule (fault codes, warnings, heartbeat): it is not repeated here.
 */
export function createFacilityFaultRule(settings: FacilityFaultSettings): Rule {
  const episodes = new Map<string, Episode | null>()

  /** Lazily, and after a restart from the open alarm, so a journaled episode is not opened twice. */
  function episodeOf(id: string, view: RuleView): Episode | null {
    if (!episodes.has(id)) {
      const alarm = view.openAlarm(facilityFaultKey(id))
      const open = alarm !== undefined && alarm.conditionActive !== false
      const code = String(alarm?.details?.faultCode ?? '')
      episodes.set(id, open ? { code, healthySince: null, shown: null, ticketDue: false, notice: null } : null)
    }
    return episodes.get(id) ?? null
  }

  return {
    id: 'facilityFault',
    // which types are ticketable is device-type data the engine hands over with each device
    watches: DEVICE_TYPES.filter((t) => t !== 'terminal'),
    onReading(reading, view): readonly Intent[] {
      const device = facilityOf(reading.deviceId, view)
      if (!device) return []
      const episode = episodeOf(device.id, view)
      const health = facilityHealth(device.id, view)
      if (health.fault) {
        if (!episode) {
          const opened = { code: health.code, healthySince: null, shown: null, ticketDue: true, notice: null }
          episodes.set(device.id, opened)
          return [...refresh(device, opened, view), ...noticeIfChanged(device, opened, view)]
        }
        episode.code = health.code || episode.code
        episode.healthySince = null
        return refresh(device, episode, view)
      }
      if (episode) episode.healthySince ??= view.now()
      return []
    },
    onTick(view): readonly Intent[] {
      return facilities(view).flatMap((device) => {
        const episode = episodeOf(device.id, view)
        if (!episode) return []
        return [
          ...ticketIfDue(device, episode, view),
          ...noticeIfChanged(device, episode, view),
          ...settle(device, episode, view),
        ]
      })
    },
  }

  function settle(device: DeviceInfo, episode: Episode, view: RuleView): Intent[] {
    if (episode.healthySince === null || view.now() - episode.healthySince < settings.settleSec * 1000) return []
    episodes.set(device.id, null)
    const key = facilityFaultKey(device.id)
    return [
      { type: 'clear', key },
      ...(device.ticket?.customerFacing ? [{ type: 'withdraw_notice' as const, key }] : []),
    ]
  }
}

/** Ticketable devices this rule looks after: every ticketable type but the terminal. */
function facilityOf(id: string, view: RuleView): DeviceInfo | undefined {
  const device = view.device(id)
  return device?.ticket !== undefined && device.type !== 'terminal' ? device : undefined
}

function facilities(view: RuleView): DeviceInfo[] {
  return view.devices({}).filter((d) => d.ticket !== undefined && d.type !== 'terminal')
}

/** docs/requirements.md#repair-tickets: one ticket request per episode, on the tick after it opened. */
function ticketIfDue(device: DeviceInfo, episode: Episode, view: RuleView): Intent[] {
  if (!episode.ticketDue) return []
  episode.ticketDue = false
  const key = facilityFaultKey(device.id)
  const reason = raiseFor(device, episode, view).messages
  return [
    {
      type: 'ticket_request',
      deviceId: device.id,
      alarmKey: key,
      faultCodes: episode.code === '' ? [] : [episode.code],
      reason,
    },
  ]
}

/** docs/requirements.md#customer-notices-say-when: what customers use gets a notice with the due time and the counter. */
function noticeIfChanged(device: DeviceInfo, episode: Episode, view: RuleView): Intent[] {
  if (!device.ticket?.customerFacing) return []
  const opening = view.texts.text('facility.customerNotice', { facility: device.name })
  const texts = customerNoticeTexts(view, device.id, opening, null)
  const joined = `${texts['zh-CN']}\n${texts.en}`
  if (joined === episode.notice) return []
  episode.notice = joined
  const key = facilityFaultKey(device.id)
  return [{ type: 'notice', key, audience: 'customer', zone: device.zone, deviceId: device.id, texts, endsAt: null }]
}

/** Raises the alarm when what it says has changed; a repeated report changes nothing. */
function refresh(device: DeviceInfo, episode: Episode, view: RuleView): Intent[] {
  const raise = raiseFor(device, episode, view)
  if (raise.messages.en === episode.shown) return []
  episode.shown = raise.messages.en
  return [raise]
}

function raiseFor(device: DeviceInfo, episode: Episode, view: RuleView): RaiseIntent {
  return {
    type: 'raise',
    key: facilityFaultKey(device.id),
    kind: 'facility_fault',
    severity: device.ticket?.customerFacing ? 'major' : 'minor',
    latching: false,
    silent: false,
    deviceId: device.id,
    zone: device.zone,
    messages: faultMessages(device.name, view.zoneName(device.zone), episode.code),
    checklist: view.texts.checklist('facility.checklist'),
    details: { faultCode: episode.code },
    shelvable: true,
  }
}

function faultMessages(name: string, where: LocalizedText, code: string): LocalizedText {
  if (code === '') {
    return {
      'zh-CN': `设施故障：${name}（${where['zh-CN']}）报告故障`,
      en: `Facility fault: ${name} in ${where.en} reports a fault`,
    }
  }
  return {
    'zh-CN': `设施故障：${name}（${where['zh-CN']}）报告故障，代码 ${code}`,
    en: `Facility fault: ${name} in ${where.en} reports fault code ${code}`,
  }
}
