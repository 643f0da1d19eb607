import { type Static, Type as T } from '@sinclair/typebox'
import type { Checklist, LocalizedText } from '../gateway/core/alarm.js'
import { COMPLAINT_SITUATIONS, type ComplaintSituation } from '../gateway/core/complaint.js'
import type { Intent, RaiseIntent } from '../gateway/core/intent.js'
import { enumOf } from '../gateway/core/schemaHelpers.js'
import type { TextTemplateId } from './checklists/texts.js'
import { enabled, type Rule, type RuleView } from './rule.js'

/** One escalated complaint per zone: a second report or press there adds to it, it never makes a second alarm. */
export const complaintKey = (zone: string): string => `complaint_escalation:${zone}`

/** The `deviceId` of an alarm raised from the console or the API: no device raised it. */
export const CONSOLE_DEVICE_ID = 'console'

/** The complaint rule's section of `rules` in the config file. */
export const ComplaintEscalationSettings = T.Object(
  {
    enabled,
    buttonSituations: T.Array(enumOf(COMPLAINT_SITUATIONS), {
      uniqueItems: true,
      default: ['aggressive'],
      description:
        'the situations a complaint button means, for the steps its alarm carries: a button says no more than ' +
        '"help", and staff who press one under the counter are most likely facing aggression',
    }),
  },
  { additionalProperties: false, default: {} },
)
export type ComplaintEscalationSettings = Static<typeof ComplaintEscalationSettings>

const SITUATION_WORDS: Readonly<Record<ComplaintSituation, LocalizedText>> = {
  group: { 'zh-CN': '集体投诉（5 人及以上）', en: 'group complaint (5 or more people)' },
  aggressive: { 'zh-CN': '过激行为', en: 'aggressive behaviour' },
  press: { 'zh-CN': '媒体到场', en: 'press on site' },
}

/** Each situation's own steps, after the steps of every escalated complaint (`complaint.checklist`). */
const SITUATION_STEPS = {
  group: 'complaint.groupChecklist',
  aggressive: 'complaint.aggressiveChecklist',
  press: 'complaint.pressChecklist',
} as const satisfies Record<ComplaintSituation, TextTemplateId>

/** How the alarm came: who reported it, or which button was pressed. */
interface Source {
  readonly deviceId: string
  readonly zone: string
  readonly situations: readonly ComplaintSituation[]
  readonly words: LocalizedText
  readonly trigger: 'console' | 'button'
  readonly note: string | null
}

/**
 * Escalated complaint (docs/requirements.md#escalated-complaint): staff report it from the console
 * (saying which situations apply), or press a complaint button → `complaint_escalation` major,
 * latching, **not silent, yet it sounds nothing**: this rule returns only raise and clear intents,
 * never an output nor a notice, and local outputs never take this kind (gateway/notifications/
 * localOutputs.ts) — a siren would inflame the crowd. Only a manager ends it, with a note saying
 * how it was settled; it is never shelved.
 *
 * A report is an event, not a state: the condition is cleared at once, and the latch keeps the
 * alarm open until the reset.
 */
export function createComplaintEscalationRule(settings: ComplaintEscalationSettings): Rule {
  return {
    id: 'complaintEscalation',
    watches: ['complaint_button'],
    onReading(reading, view): readonly Intent[] {
      const pressed =
        (reading.metric === 'pressed' && reading.value === true) ||
        (reading.metric === 'action' && isPressAction(reading.value))
      if (!pressed) return []
      const name = view.device(reading.deviceId)?.name ?? reading.deviceId
      return raiseAndRelease(view, {
        deviceId: reading.deviceId,
        zone: reading.zone,
        situations: settings.buttonSituations,
        words: { 'zh-CN': `投诉求助按钮 ${name} 被按下`, en: `complaint button ${name} pressed` },
        trigger: 'button',
        note: null,
      })
    },
    onComplaintReport(report, view): readonly Intent[] {
      return raiseAndRelease(view, {
        deviceId: CONSOLE_DEVICE_ID,
        zone: report.zone,
        situations: report.situations,
        words: { 'zh-CN': `${report.by} 上报`, en: `reported by ${report.by}` },
        trigger: 'console',
        note: report.note,
      })
    },
  }
}

/** zigbee2mqtt buttons say `single`, `double`, `hold`…; a `release` only ends a press already counted. */
function isPressAction(value: unknown): boolean {
  return typeof value === 'string' && value !== '' && !value.endsWith('release')
}

function raiseAndRelease(view: RuleView, source: Source): readonly Intent[] {
  const raise = complaintRaise(view, source)
  return [raise, { type: 'clear', key: raise.key }]
}

function complaintRaise(view: RuleView, source: Source): RaiseIntent {
  const key = complaintKey(source.zone)
  const open = view.openAlarm(key)
  // a second report adds its situations to the ones already reported: nobody loses a step
  const situations = COMPLAINT_SITUATIONS.filter((s) => source.situations.includes(s) || open?.details[s] === true)
  const where = view.zoneName(source.zone)
  const said = (lang: 'zh-CN' | 'en', sep: string) => situations.map((s) => SITUATION_WORDS[s][lang]).join(sep)
  const zhNote = source.note === null ? '' : `：${source.note}`
  const enNote = source.note === null ? '' : `: ${source.note}`
  const zhSituations = situations.length > 0 ? `${said('zh-CN', '、')}，` : ''
  const enSituations = situations.length > 0 ? `${said('en', ', ')}; ` : ''
  return {
    type: 'raise',
    key,
    kind: 'complaint_escalation',
    severity: 'major',
    latching: true,
    silent: false, // staff and managers must all see it; it is quiet (no siren, no notice), not hidden
    deviceId: open?.deviceId ?? source.deviceId,
    zone: source.zone,
    messages: {
      'zh-CN': `投诉激化（${where['zh-CN']}）：${zhSituations}${source.words['zh-CN']}${zhNote}`,
      en: `Escalated complaint in ${where.en}: ${enSituations}${source.words.en}${enNote}`,
    },
    checklist: checklistFor(view, situations),
    details: {
      group: situations.includes('group'),
      aggressive: situations.includes('aggressive'),
      press: situations.includes('press'),
      trigger: source.trigger,
      ...(source.note === null ? {} : { reportNote: source.note }),
    },
    resetPolicy: { role: 'manager', noteRequired: true },
    shelvable: false,
  }
}

/** The steps of every escalated complaint, then each situation's, in the plan's order. */
export function checklistFor(view: Pick<RuleView, 'texts'>, situations: readonly ComplaintSituation[]): Checklist {
  const parts = [
    view.texts.checklist('complaint.checklist'),
    ...situations.map((s) => view.texts.checklist(SITUATION_STEPS[s])),
  ]
  return { 'zh-CN': parts.flatMap((p) => p['zh-CN']), en: parts.flatMap((p) => p.en) }
}
