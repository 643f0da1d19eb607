import type { CommStatus } from '../adapter.js'
import type { ModbusFailure } from './modbusFailure.js'

/**
 * One device's communication health (docs/requirements.md#supervision: failing Modbus
 * polls put the device in fault, "trouble", separate from the emergency it
 * watches for). Reports changes only: one fault after `faultAfterFailures`
 * failed polls in a row, one recovery on the first good poll after that.
 */
export interface PollHealth {
  /** A poll read every register. */
  succeeded(): void
  /** A poll failed; the failure names why. */
  failed(failure: ModbusFailure): void
  /** A write did not reach the device: reported at once, since an output that did not switch matters now. */
  writeFailed(detail: string): void
  readonly inFault: boolean
}

/** `startInFault`: a device rebuilt by a reload while in fault, so its first good poll says it recovered. */
export function createPollHealth(
  faultAfterFailures: number,
  report: (status: CommStatus) => void,
  startInFault = false,
): PollHealth {
  let failuresInARow = 0
  let inFault = startInFault
  return {
    succeeded() {
      failuresInARow = 0
      if (!inFault) return
      inFault = false
      report({ ok: true, reason: null, detail: 'answering again' })
    },
    failed(failure) {
      failuresInARow++
      if (inFault || failuresInARow < faultAfterFailures) return
      inFault = true
      const polls = failuresInARow === 1 ? '1 poll' : `${failuresInARow} polls in a row`
      report({ ok: false, reason: failure.reason, detail: `${polls} failed: ${failure.detail}` })
    },
    writeFailed(detail) {
      inFault = true
      report({ ok: false, reason: 'write_failed', detail })
    },
    get inFault() {
      return inFault
    },
  }
}
