import { describe, expect, it } from 'vitest'
import { sanitizePoint } from './influxClient.js'
import { partialWriteDrops } from './writeBatch.js'

describe('what InfluxDB refused in a partial write', () => {
  it('counts a field type conflict by its dropped= count', () => {
    const detail =
      'partial write: field type conflict: input field "t" on measurement "sensor" is type string, already exists as type float dropped=1'
    expect(partialWriteDrops(detail)).toEqual({ field_type_conflict: 1 })
  })

  it('counts points older than the retention policy', () => {
    expect(partialWriteDrops('partial write: points beyond retention policy dropped=3')).toEqual({
      beyond_retention: 3,
    })
  })

  it('counts one unparsable point per line InfluxDB could not parse', () => {
    const detail =
      "partial write: unable to parse 'sensor,device=b t=2 1 garbage': point is invalid\nunable to parse 'x': missing tag value dropped=0"
    expect(partialWriteDrops(detail)).toEqual({ unparsable: 2 })
  })
})

describe('points made safe for line protocol', () => {
  const point = {
    measurement: 'ticket' as const,
    tags: { store: 's1', device: 'terminal-1', zone: '' },
    fields: { open: 1, due_in_sec: Number.NaN, action: 'opened' },
    ts: 1_700_000_000_000.4,
  }

  it('leaves out empty tags and non-finite numbers, which InfluxDB would refuse', () => {
    expect(sanitizePoint(point)).toEqual({
      measurement: 'ticket',
      tags: { store: 's1', device: 'terminal-1' },
      fields: { open: 1, action: 'opened' },
      ts: 1_700_000_000_000,
    })
  })

  it('gives up on a point with no field left', () => {
    expect(sanitizePoint({ ...point, fields: { v: Number.POSITIVE_INFINITY } })).toBeNull()
  })
})
