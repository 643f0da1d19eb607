import type { MqttBus } from '../bus/mqttBus.js'
import type { Alarm } from '../core/alarm.js'
import type { EventBus } from '../core/events.js'
import type { Logger } from '../log.js'
import type { DiscoveryIndex } from './discoveryIndex.js'
import { type DiscoveryMessage, type DiscoverySetup, discoveryMessages } from './discoveryPayloads.js'
import { metricEntities } from './entityCatalog.js'
import { type Announced, createStatePublisher } from './statePublisher.js'
import { stateTopics } from './stateTopics.js'

/** The `homeassistant` section with what the discovery is built from. */
export interface HomeAssistantSetup extends DiscoverySetup {
  readonly enabled: boolean
}

export interface HomeAssistantDeps {
  /** The gateway's own broker connection: HA reads the broker the store's devices use, not the centre. */
  readonly bus: MqttBus
  readonly events: EventBus
  readonly openAlarms: () => Iterable<Alarm>
  readonly index: DiscoveryIndex
  readonly now: () => number
  readonly log: Logger
}

const RETAINED = { retain: true, qos: 1 } as const

/**
 * Home Assistant MQTT discovery (docs/home-assistant.md): announces the store's
 * entities retained, clears those of devices no longer configured, keeps the
 * state topics HA reads current, and announces again when HA says it has
 * started. Never throws: a journal or broker failure is logged, and the
 * gateway's own work goes on.
 */
export function createHomeAssistant(initial: HomeAssistantSetup, deps: HomeAssistantDeps) {
  const { bus, index, log } = deps
  let setup = initial
  let messages: DiscoveryMessage[] = []
  let unsubscribeEvents: (() => void) | null = null
  let birthTopic: string | null = null
  // a reload still under way when the gateway stops must not bring back what stop() ended (docs/reload.md)
  let stopped = false
  const guarded = (what: string, work: () => void) => {
    try {
      work()
    } catch (err) {
      log.error({ err }, `home assistant: ${what} failed`)
    }
  }
  const state = createStatePublisher({
    bus,
    openAlarms: deps.openAlarms,
    remember: (topic) => guarded('recording a state topic', () => index.add([topic], deps.now())),
  })

  /** Clears what the journal says was announced and is no longer wanted, then announces the rest. */
  function announce(): void {
    messages = setup.enabled ? discoveryMessages(setup) : []
    warnSharedIds(messages)
    const devices = announcedDevices(setup)
    const wanted = new Set([...messages.map((m) => m.topic), ...stateTopicsOf(setup, devices)])
    let stale: string[] = []
    guarded('reading the discovery index', () => {
      stale = index.live().filter((t) => !wanted.has(t))
    })
    // removed first: an entity that moved to another topic must be gone before its unique id comes back
    for (const topic of stale) bus.publish(topic, '', RETAINED)
    state.forget(stale)
    guarded('updating the discovery index', () => {
      index.clear(stale, deps.now())
      // journaled before publishing, so a crash in between cannot leave an entity nobody will clear
      index.add(
        messages.map((m) => m.topic),
        deps.now(),
      )
    })
    publishDiscovery()
    if (setup.enabled) state.reset(stateTopics(setup.topicPrefix), devices)
    else state.stop()
    if (stale.length > 0) log.info({ cleared: stale.length }, 'home assistant: removed entities cleared')
  }

  /** A device id ending like another device's metric (`ups-1_on` + `battery`, `ups-1` + `on_battery`): HA keeps one. */
  function warnSharedIds(all: readonly DiscoveryMessage[]): void {
    const ids = all.map((m) => String(m.payload.unique_id))
    const shared = ids.filter((id, i) => ids.indexOf(id) !== i)
    if (shared.length > 0)
      log.warn({ uniqueIds: shared }, 'home assistant: entities share a unique id; rename a device')
  }

  function publishDiscovery(): void {
    for (const m of messages) bus.publish(m.topic, JSON.stringify(m.payload), RETAINED)
  }

  /** What was cleared while HA may have been away; an empty payload for an entity HA never had is ignored by it. */
  function clearAgain(): void {
    guarded('reading the discovery index', () => {
      for (const topic of index.cleared()) bus.publish(topic, '', RETAINED)
    })
  }

  /** HA's birth message (`<discoveryPrefix>/status` = `online`): an HA that just started hears everything again. */
  async function listenForBirth(): Promise<void> {
    const next = setup.enabled ? `${setup.discoveryPrefix}/status` : null
    if (next === birthTopic) return
    if (birthTopic !== null) await bus.unsubscribe([birthTopic])
    birthTopic = next
    if (next === null) return
    await bus.subscribe([next], (_topic, payload) => {
      if (stopped || payload.toString('utf8').trim() !== 'online') return
      publishDiscovery()
      state.republish()
      clearAgain()
    })
    // stop() came while subscribing: its unsubscribe may have gone first
    if (stopped) await bus.unsubscribe([next])
  }

  function listenToEvents(): void {
    if (!setup.enabled) {
      unsubscribeEvents?.()
      unsubscribeEvents = null
      return
    }
    unsubscribeEvents ??= deps.events.subscribe((event) => {
      if (event.type === 'reading') state.reading(event.reading)
      else if (event.type === 'alarm') state.alarm(event.alarm)
    })
  }

  async function apply(): Promise<void> {
    if (stopped) return
    listenToEvents()
    announce()
    try {
      await listenForBirth()
    } catch (err) {
      log.warn({ err }, 'home assistant: cannot listen for its birth message')
    }
  }

  return {
    start: apply,
    /** A reloaded config: new devices announced, removed ones cleared, a new prefix listened on. */
    async reload(next: HomeAssistantSetup): Promise<void> {
      setup = next
      await apply()
    },
    /**
     * Entities stay announced: the gateway's `offline` status makes them unavailable in HA.
     * A reload after it changes nothing, and an HA `online` no longer republishes.
     */
    stop(): void {
      stopped = true
      unsubscribeEvents?.()
      unsubscribeEvents = null
      state.stop()
      const topic = birthTopic
      birthTopic = null
      // not awaited: a broker that is away must not hold the stop up, and the handler already ignores `online`
      if (topic !== null) {
        bus.unsubscribe([topic]).catch((err) => log.warn({ err }, 'home assistant: birth topic not unsubscribed'))
      }
    },
  }
}

export type HomeAssistant = ReturnType<typeof createHomeAssistant>

/** The devices HA gets entities for, with the metrics it has an entity for. */
function announcedDevices(setup: HomeAssistantSetup): Announced {
  if (!setup.enabled) return new Map()
  return new Map(
    setup.devices
      .map((d) => [d.id, new Set(metricEntities(d.type).map((e) => e.metric))] as const)
      .filter(([, metrics]) => metrics.size > 0),
  )
}

/** Every state topic the announced devices and the summary may use. */
function stateTopicsOf(setup: HomeAssistantSetup, devices: Announced): string[] {
  if (!setup.enabled) return []
  const topics = stateTopics(setup.topicPrefix)
  return [
    topics.alarmSummary,
    ...[...devices].flatMap(([id, metrics]) => [
      topics.availability(id),
      topics.fault(id),
      ...[...metrics].map((m) => topics.value(id, m)),
    ]),
  ]
}
