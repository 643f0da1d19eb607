import { describe, expect, it } from 'vitest'
import { pointToLine } from './lineProtocol.js'

describe('points as InfluxDB line protocol', () => {
  it('writes tags, float, boolean and string fields and the ms timestamp', () => {
    expect(
      pointToLine({
        measurement: 'sensor',
        tags: { store: 's1', device: 'z2m-001' },
        fields: { temperature: 21.5, battery: 90, smoke: false, state: 'ok' },
        ts: 1_700_000_000_123,
      }),
    ).toBe('sensor,store=s1,device=z2m-001 temperature=21.5,battery=90,smoke=false,state="ok" 1700000000123')
  })

  it('escapes commas, equals signs, spaces, quotes and backslashes where each needs it', () => {
    expect(
      pointToLine({
        measurement: 'alarm',
        tags: { zone: 'hall, east', 'a=b': 'x y' },
        fields: { 'note text': 'say "hi" \\ bye', n: -1.5e-7 },
        ts: 1,
      }),
    ).toBe('alarm,zone=hall\\,\\ east,a\\=b=x\\ y note\\ text="say \\"hi\\" \\\\ bye",n=-1.5e-7 1')
  })

  it('never puts a raw line break inside a point: tag and string values carry \\n and \\r as two characters', () => {
    const line = pointToLine({
      measurement: 'ticket',
      tags: { zone: 'hall\nnorth', device: 'C:\\terminals\\1' },
      fields: { note: 'line one\r\nline two' },
      ts: 1,
    })
    expect(line).not.toMatch(/[\n\r]/)
    expect(line).toBe('ticket,zone=hall\\nnorth,device=C:\\terminals\\1 note="line one\\r\\nline two" 1')
  })
})

describe('the line the writer sends', () => {
  it('leaves out empty tags and non-finite numbers, which InfluxDB would refuse, and rounds the timestamp', () => {
    expect(
      pointToLine({
        measurement: 'ticket',
        tags: { store: 's1', device: 'terminal-1', zone: '' },
        fields: { open: 1, due_in_sec: Number.NaN, action: 'opened' },
        ts: 1_700_000_000_000.4,
      }),
    ).toBe('ticket,store=s1,device=terminal-1 open=1,action="opened" 1700000000000')
  })

  it('gives up on a point with no field left or no time', () => {
    const point = { measurement: 'sensor' as const, tags: { store: 's1' }, fields: { v: 1 }, ts: 1 }
    expect(pointToLine({ ...point, fields: { v: Number.POSITIVE_INFINITY } })).toBeNull()
    expect(pointToLine({ ...point, ts: Number.NaN })).toBeNull()
  })
})
