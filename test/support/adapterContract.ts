import { afterEach, describe, expect, it } from 'vitest'
import type { CommFaultReason, DeviceAdapter } from '../../devices/adapter.js'
import type { ReadingValue } from '../../gateway/core/reading.js'
import type { RecordingOutput } from './recordingOutput.js'

/** A value the harness made the device send, for the contract to wait for. */
export interface Produced {
  readonly metric: string
  readonly value: ReadingValue
}

/** The device, its server or its line going away and coming back. */
export interface Outage {
  /** Stops the server (or unplugs the line); the adapter is not told. */
  stop(): Promise<void>
  /** Brings it back as a new process would: the adapter has to reconnect by itself. */
  restart(): Promise<void>
}

/** One adapter wired to a real (loopback or in-memory) device, recording what it reports. */
export interface AdapterHarness {
  /** Created, not started: the contract starts and stops it. */
  readonly adapter: DeviceAdapter
  readonly output: RecordingOutput
  /** The device the contract watches. */
  readonly deviceId: string
  /** Makes the device send a value it has not sent before. */
  produce(): Promise<Produced>
  /** Feeds the adapter something it must refuse: a malformed message, a NaN register, a write of the wrong type. */
  sendBadInput(): Promise<void>
  /** Resolves once `condition` holds, moving the harness's fake time along if it has one. */
  until(condition: () => boolean, what: string): Promise<void>
  readonly outage: Outage
  /** What the adapter still holds after stop (timers, subscriptions); the contract wants none. */
  leftovers(): number
  /** Closes the servers and lines behind the device. */
  close(): Promise<void>
}

const COMM_FAULT_REASONS: readonly CommFaultReason[] = [
  'modbus_timeout',
  'modbus_exception',
  'modbus_crc',
  'connection_lost',
  'connection_refused',
  'gpio_unavailable',
  'write_failed',
]

/**
 * What every DeviceAdapter promises the gateway, run against each transport
 * by its own test file: readings arrive, an outage is a fault and never an
 * exception, it reconnects by itself, stop is safe to repeat and leaves
 * nothing running, and bad input is counted rather than thrown.
 */
export function describeAdapterContract(name: string, makeHarness: () => Promise<AdapterHarness>): void {
  describe(`the ${name} adapter keeps the DeviceAdapter contract`, () => {
    let harness: AdapterHarness | undefined

    afterEach(async () => {
      const h = harness
      harness = undefined
      if (h === undefined) return
      await h.adapter.stop()
      await h.close()
    })

    async function started(): Promise<AdapterHarness> {
      harness = await makeHarness()
      await harness.adapter.start()
      return harness
    }

    async function delivers(h: AdapterHarness): Promise<Produced> {
      const produced = await h.produce()
      await h.until(
        () => h.output.latest(h.deviceId, produced.metric)?.value === produced.value,
        `${h.deviceId} ${produced.metric} = ${String(produced.value)}`,
      )
      return produced
    }

    const faults = (h: AdapterHarness) => h.output.statusesOf(h.deviceId).filter((s) => !s.ok)

    it('(a) delivers a reading from its device', async () => {
      const h = await started()
      const produced = await delivers(h)
      expect(h.output.latest(h.deviceId, produced.metric)).toMatchObject({ deviceId: h.deviceId, quality: 'good' })
      expect(faults(h)).toEqual([])
    })

    it('(b) reports a comm fault, not an exception, when its device stops answering', async () => {
      const h = await started()
      await delivers(h)
      await h.outage.stop()
      await h.until(() => faults(h).length > 0, `${h.deviceId} in fault`)
      const [fault] = faults(h)
      expect(COMM_FAULT_REASONS).toContain(fault?.reason)
      expect(fault?.detail).not.toBe('')
    })

    it('(c) recovers by itself once its device is back', async () => {
      const h = await started()
      await delivers(h)
      await h.outage.stop()
      await h.until(() => faults(h).length > 0, `${h.deviceId} in fault`)
      await h.outage.restart()
      await h.until(() => h.output.statusesOf(h.deviceId).at(-1)?.ok === true, `${h.deviceId} out of fault`)
      await delivers(h)
    })

    it('(d) stops twice without complaint and leaves nothing running', async () => {
      const h = await started()
      await delivers(h)
      // the probe sees what the running adapter holds, so its zero after stop means something
      expect(h.leftovers()).toBeGreaterThan(0)
      await h.adapter.stop()
      await expect(h.adapter.stop()).resolves.toBeUndefined()
      expect(h.leftovers()).toBe(0)
    })

    it('(e) counts bad input as rejected and keeps reading', async () => {
      const h = await started()
      await delivers(h)
      const before = h.output.rejections.length
      await h.sendBadInput()
      await h.until(() => h.output.rejections.length > before, 'a rejection')
      await delivers(h)
    })
  })
}
