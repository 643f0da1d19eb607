import { describe, expect, it } from 'vitest'
import { TopicIndex } from './topicIndex.js'

describe('a topic index: which handlers does a message topic reach', () => {
  const index = new TopicIndex<string>()
  index.set('zigbee2mqtt/smoke_1', 'smoke-1')
  index.set('storeguard/s1/devices/+/+', 'devices')
  index.set('storeguard/#', 'everything')
  index.set('bad/#/filter', 'never')

  it('finds an exact topic, and every wildcard filter that matches, each value once', () => {
    expect(index.match('zigbee2mqtt/smoke_1')).toEqual(['smoke-1'])
    expect(index.match('storeguard/s1/devices/leak-1/state')).toEqual(['devices', 'everything'])
    expect(index.match('storeguard/s1/weather')).toEqual(['everything'])
    expect(index.match('zigbee2mqtt/smoke_2')).toEqual([])
  })

  it('a malformed filter matches nothing, and a deleted one no longer matches', () => {
    expect(index.match('bad/x/filter')).toEqual([])
    const copy = new TopicIndex<string>()
    copy.set('a/+', 'x')
    copy.set('a/b', 'x')
    expect(copy.match('a/b')).toEqual(['x'])
    copy.delete('a/+')
    expect(copy.match('a/c')).toEqual([])
    expect(copy.match('a/b')).toEqual(['x'])
  })
})
