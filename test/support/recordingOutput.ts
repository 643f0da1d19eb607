import type { AdapterOutput, CommStatus } from '../../devices/adapter.js'
import type { Reading } from '../../gateway/core/reading.js'

/** An AdapterOutput that keeps everything an adapter reports, for tests to read and wait on. */
export interface RecordingOutput extends AdapterOutput {
  readonly readings: Reading[]
  readonly statuses: { readonly deviceId: string; readonly status: CommStatus }[]
  readonly rejections: { readonly reason: string; readonly deviceId?: string; readonly detail: string }[]
  /** The last reading of a device's metric, if any. */
  latest(deviceId: string, metric: string): Reading | undefined
  /** The comm statuses reported for one device, in order. */
  statusesOf(deviceId: string): CommStatus[]
}

export function createRecordingOutput(): RecordingOutput {
  const readings: Reading[] = []
  const statuses: { deviceId: string; status: CommStatus }[] = []
  const rejections: { reason: string; deviceId?: string; detail: string }[] = []
  return {
    readings,
    statuses,
    rejections,
    reading: (r) => {
      readings.push(r)
    },
    rejected: (reason, detail) => {
      rejections.push({ reason, detail: detail.detail, ...(detail.deviceId ? { deviceId: detail.deviceId } : {}) })
    },
    commStatus: (deviceId, status) => {
      statuses.push({ deviceId, status })
    },
    latest: (deviceId, metric) => readings.findLast((r) => r.deviceId === deviceId && r.metric === metric),
    statusesOf: (deviceId) => statuses.filter((s) => s.deviceId === deviceId).map((s) => s.status),
  }
}

/** Resolves once `condition` holds; rejects with `what` after `timeoutMs`. */
export async function eventually(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}
