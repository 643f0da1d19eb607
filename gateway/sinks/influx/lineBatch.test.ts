import { describe, expect, it } from 'vitest'
import { bodyOf, createLineBatch, dropLeadingLines, linesOf } from './lineBatch.js'
import type { TelemetryPoint } from './points.js'

const sensor = (i: number): TelemetryPoint => ({
  measurement: 'sensor',
  tags: { store: 's1', device: 'temp-1' },
  fields: { temperature: i },
  ts: 1_000 + i,
})
const alarm = (i: number): TelemetryPoint => ({
  measurement: 'alarm',
  tags: { store: 's1', kind: 'fire' },
  fields: { alarm_id: `a${i}` },
  ts: 1_000 + i,
})

describe('a batch of line protocol', () => {
  it('holds alarms apart from telemetry, and the earliest reading for the roll-ups', () => {
    const batch = createLineBatch()
    for (const p of [sensor(5), alarm(1), sensor(3)]) batch.add(p)
    expect(batch.add({ ...sensor(9), fields: { temperature: Number.NaN } })).toBe(false)
    const chunk = batch.seal()
    expect(batch.size).toBe(0)
    expect(linesOf(chunk)).toBe(3)
    expect(chunk.sensorFrom).toBe(1_003)
    expect(bodyOf(chunk)).toBe(
      'alarm,store=s1,kind=fire alarm_id="a1" 1001\n' +
        'sensor,store=s1,device=temp-1 temperature=5 1005\n' +
        'sensor,store=s1,device=temp-1 temperature=3 1003\n',
    )
  })

  it('keeps what InfluxDB did not take of it, in order', () => {
    const batch = createLineBatch()
    for (const p of [alarm(1), alarm(2), sensor(3), sensor(4)]) batch.add(p)
    const chunk = batch.seal()
    const rest = dropLeadingLines(chunk, 1)
    expect(bodyOf(rest).split('\n').slice(0, -1)).toEqual(bodyOf(chunk).split('\n').slice(1, -1))
    const restTelemetry = dropLeadingLines(chunk, 3)
    expect(linesOf(restTelemetry)).toBe(1)
    expect(bodyOf(restTelemetry)).toMatch(/^sensor,.* temperature=4 1004\n$/)
    expect(linesOf(dropLeadingLines(chunk, 4))).toBe(0)
  })
})
