import { checklistTemplate, STORE_PLACEHOLDERS, textTemplate } from '../../gateway/core/texts.js'
import { EXPECTED_RECOVERY, FACILITY_CUSTOMER_NOTICE, USE_COUNTER, USE_OTHER_TERMINAL } from '../facilityTexts.js'
import { TERMINAL_CUSTOMER_NOTICE, TERMINAL_WARNING_NOTICE } from '../terminalTexts.js'
import {
  complaintAggressiveChecklist,
  complaintChecklist,
  complaintGroupChecklist,
  complaintPressChecklist,
} from './complaint.js'
import { deviceChecklist } from './device.js'
import { facilityChecklist } from './facility.js'
import { fireChecklist, fireEvacuationNotice } from './fire.js'
import { floodChecklist, floodClosureNotice } from './flood.js'
import { journalChecklist } from './journal.js'
import {
  networkFaultCustomerNotice,
  networkFaultStaffNotice,
  recoveryExpected,
  recoveryUnknown,
} from './networkFault.js'
import { powerChecklist, powerOutageNotice } from './power.js'
import { powerCutGuidanceNotice } from './powerGuidance.js'
import { queuePreprocessNotice, queueWaitChecklist, queueWaitMessage } from './queue.js'
import { robberyChecklist } from './robbery.js'
import { supervisionChecklist } from './supervision.js'
import { systemChecklist, systemFaultNotice } from './system.js'
import { terminalChecklist } from './terminal.js'

const STORE = STORE_PLACEHOLDERS

/**
 * Every customer and staff text template, by id (docs/requirements.md#store-texts): the id is what a
 * store's `texts` section overrides, and the placeholders are all an override may use. Registering a
 * new text is one line here: its default wording and its placeholders; the config schema, the
 * validation and the rendering follow from this list.
 */
export const TEXT_TEMPLATES = {
  'fire.checklist': checklistTemplate(fireChecklist, STORE),
  'fire.evacuationNotice': textTemplate(fireEvacuationNotice, STORE),
  'flood.checklist': checklistTemplate(floodChecklist, STORE),
  'flood.closureNotice': textTemplate(floodClosureNotice, STORE),
  'robbery.checklist': checklistTemplate(robberyChecklist, STORE),
  'power.checklist': checklistTemplate(powerChecklist, STORE),
  'power.customerNotice': textTemplate(powerOutageNotice, [...STORE, 'recovery']),
  'power.guidanceNotice': textTemplate(powerCutGuidanceNotice, STORE),
  'system.checklist': checklistTemplate(systemChecklist, STORE),
  'system.customerNotice': textTemplate(systemFaultNotice, [...STORE, 'recovery']),
  'terminal.checklist': checklistTemplate(terminalChecklist, STORE),
  'terminal.customerNotice': textTemplate(TERMINAL_CUSTOMER_NOTICE, [...STORE, 'terminal']),
  'terminal.warningNotice': textTemplate(TERMINAL_WARNING_NOTICE, [...STORE, 'terminal', 'warnings']),
  'device.checklist': checklistTemplate(deviceChecklist, STORE),
  'supervision.checklist': checklistTemplate(supervisionChecklist, STORE),
  'journal.checklist': checklistTemplate(journalChecklist, STORE),
  'facility.checklist': checklistTemplate(facilityChecklist, STORE),
  'facility.customerNotice': textTemplate(FACILITY_CUSTOMER_NOTICE, [...STORE, 'facility']),
  'facility.expectedRecovery': textTemplate(EXPECTED_RECOVERY, [...STORE, 'due']),
  'facility.useOtherTerminal': textTemplate(USE_OTHER_TERMINAL, [...STORE, 'terminal']),
  'facility.useCounter': textTemplate(USE_COUNTER, STORE),
  'network.staffNotice': textTemplate(networkFaultStaffNotice, [...STORE, 'area', 'services', 'recovery']),
  'network.customerNotice': textTemplate(networkFaultCustomerNotice, [...STORE, 'area', 'services', 'recovery']),
  'recovery.expected': textTemplate(recoveryExpected, [...STORE, 'time']),
  'recovery.unknown': textTemplate(recoveryUnknown, STORE),
  'complaint.checklist': checklistTemplate(complaintChecklist, STORE),
  'complaint.groupChecklist': checklistTemplate(complaintGroupChecklist, STORE),
  'complaint.aggressiveChecklist': checklistTemplate(complaintAggressiveChecklist, STORE),
  'complaint.pressChecklist': checklistTemplate(complaintPressChecklist, STORE),
  'queue.preprocessNotice': textTemplate(queuePreprocessNotice, [...STORE, 'queue', 'zone', 'waiting', 'counters']),
  'queue.waitMessage': textTemplate(queueWaitMessage, [...STORE, 'queue', 'zone', 'waitMin', 'targetMin']),
  'queue.waitChecklist': checklistTemplate(queueWaitChecklist, STORE),
}

export type TextTemplates = typeof TEXT_TEMPLATES
export type TextTemplateId = keyof TextTemplates
