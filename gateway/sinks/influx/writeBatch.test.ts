import { describe, expect, it } from 'vitest'
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
