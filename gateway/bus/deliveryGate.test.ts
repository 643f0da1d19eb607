import { describe, expect, it } from 'vitest'
import { createDeliveryGate } from './deliveryGate.js'

const payload = (text: string) => Buffer.from(text)

describe('the delivery gate', () => {
  it('holds messages that come before the handlers, unacknowledged, and hands them on in order once open', () => {
    const gate = createDeliveryGate()
    const log: string[] = []
    gate.deliver('a/1', payload('one'), () => log.push('ack one'))
    gate.deliver('a/2', payload('two'), () => log.push('ack two'))
    gate.add(['a/+'], (topic, p) => log.push(`${topic} ${p.toString()}`))
    expect(log).toEqual([])

    gate.open(() => null)
    expect(log).toEqual(['a/1 one', 'a/2 two', 'ack one', 'ack two'])
  })

  it('acknowledges only after the durability barrier resolves, and keeps acks in arrival order', async () => {
    const gate = createDeliveryGate()
    const log: string[] = []
    let commit: () => void = () => undefined
    let pending: Promise<void> | null = new Promise<void>((resolve) => {
      commit = resolve
    })
    gate.add(['#'], (topic) => log.push(`handled ${topic}`))
    gate.open(() => pending)

    gate.deliver('first', payload('1'), () => log.push('ack first'))
    pending = null // nothing left to wait for, but the first ack still is
    gate.deliver('second', payload('2'), () => log.push('ack second'))
    await Promise.resolve()
    expect(log).toEqual(['handled first', 'handled second'])

    commit()
    await new Promise((r) => setImmediate(r))
    expect(log).toEqual(['handled first', 'handled second', 'ack first', 'ack second'])
  })

  it('hands a message to a handler once, however many of its filters match', () => {
    const gate = createDeliveryGate()
    const seen: string[] = []
    const handler = (topic: string) => seen.push(topic)
    gate.add(['zigbee2mqtt/smoke', 'zigbee2mqtt/#'], handler)
    gate.open(() => null)
    gate.deliver('zigbee2mqtt/smoke', payload('{}'), () => undefined)
    expect(seen).toEqual(['zigbee2mqtt/smoke'])
  })
})

describe('messages no handler reads', () => {
  it('are reported by topic and still acknowledged; matched ones are not reported', () => {
    const unowned: string[] = []
    const acks: string[] = []
    const gate = createDeliveryGate((topic) => unowned.push(topic))
    gate.add(['store/devices/+/+'], () => undefined)
    gate.open(() => null)
    gate.deliver('elsewhere/x', Buffer.from('1'), () => acks.push('elsewhere'))
    gate.deliver('store/devices/a/state', Buffer.from('2'), () => acks.push('device'))
    expect(unowned).toEqual(['elsewhere/x'])
    expect(acks).toEqual(['elsewhere', 'device'])
  })

  it('held before the handlers are in, are judged against the handlers there are once the gate opens', () => {
    const unowned: string[] = []
    const gate = createDeliveryGate((topic) => unowned.push(topic))
    gate.deliver('store/devices/a/state', Buffer.from('1'), () => undefined)
    gate.deliver('elsewhere/y', Buffer.from('2'), () => undefined)
    gate.add(['store/devices/+/+'], () => undefined)
    expect(unowned).toEqual([])
    gate.open(() => null)
    expect(unowned).toEqual(['elsewhere/y'])
  })
})
