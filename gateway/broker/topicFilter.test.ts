import { describe, expect, it } from 'vitest'
import { filterCovers, isValidTopicFilter, topicMatches } from './topicFilter.js'

describe('topicMatches', () => {
  it.each([
    ['a/b', 'a/b', true],
    ['a/b', 'a/c', false],
    ['a/b', 'a/b/c', false],
    ['a/b/c', 'a/b', false],
    ['a/+', 'a/b', true],
    ['a/+', 'a/b/c', false],
    ['a/+', 'a', false],
    ['a/+/c', 'a/b/c', true],
    ['+/+', 'a/b', true],
    ['a/#', 'a', true], // [MQTT-4.7.1-2] # includes the parent level
    ['a/#', 'a/b/c', true],
    ['a/#', 'ab', false],
    ['#', 'a/b', true],
    ['#', '$SYS/broker', false], // [MQTT-4.7.2-1]
    ['+/broker', '$SYS/broker', false],
    ['$SYS/#', '$SYS/broker', true],
    ['a//b', 'a//b', true],
    ['a/+/b', 'a//b', true], // an empty level is still a level
    ['a/#/b', 'a/x/b', false], // malformed: matches nothing
    ['a+', 'a+', false],
  ])('%s matches %s: %s', (filter, topic, expected) => {
    expect(topicMatches(filter, topic)).toBe(expected)
  })
})

describe('filterCovers', () => {
  it.each([
    ['a/#', 'a/#', true],
    ['a/#', 'a', true],
    ['a/#', 'a/b', true],
    ['a/#', 'a/+', true],
    ['a/#', 'a/+/c/#', true],
    ['a/#', '#', false],
    ['a/#', '+/b', false],
    ['a/+', 'a/b', true],
    ['a/+', 'a/+', true],
    ['a/+', 'a/#', false], // would widen to a and a/b/c
    ['a/+', 'a', false],
    ['a/+', 'a/b/c', false],
    ['a/b', 'a/+', false],
    ['a/b', 'a/b', true],
    ['a/b', 'a/b/#', false],
    ['+/b', 'x/b', true],
    ['+/b', '+/b', true],
    ['+/b', '#', false],
    ['#', '#', true],
    ['#', '+/x/#', true],
    ['#', '$SYS/#', false], // a wildcard never grants $ topics
    ['+/#', '$SYS/x', false],
    ['$SYS/#', '$SYS/+', true],
    ['a/+/c', 'a/+/c', true],
    ['a/+/c', 'a/+/+', false],
    ['a/#/c', 'a/b/c', false], // malformed allowed filter grants nothing
    ['a/#', 'a/#/c', false], // malformed request
  ])('%s covers %s: %s', (allowed, requested, expected) => {
    expect(filterCovers(allowed, requested)).toBe(expected)
  })
})

describe('isValidTopicFilter', () => {
  it.each([
    ['a/b', true],
    ['#', true],
    ['a/+/#', true],
    ['+', true],
    ['', false],
    ['a/#/b', false],
    ['a#', false],
    ['a/b+', false],
    ['a\u0000b', false],
  ])('%j: %s', (filter, expected) => {
    expect(isValidTopicFilter(filter)).toBe(expected)
  })
})
