import type { LoadedConfig } from '../config/loadConfig.js'
import type { DeviceConfig } from '../config/schema.js'
import type { ConfigChange } from './configChanges.js'

/**
 * The config a reload hands the components: the running one with the live
 * changes of `next` applied and every restart-only one left as it runs. So a
 * component compares what it has with what it gets and finds only what it may
 * change; a siren removed from the file stays driven and known until the
 * restart, instead of being driven as a device nobody knows.
 */
export function liveConfig(old: LoadedConfig, next: LoadedConfig, changes: readonly ConfigChange[]): LoadedConfig {
  const live = new Set(changes.filter((c) => c.live).map((c) => c.path))
  return {
    ...old,
    rules: [...live].some((p) => p.startsWith('rules.')) ? next.rules : old.rules,
    api: live.has('api.users') ? { ...old.api, users: next.api.users } : old.api,
    notifications: {
      ...old.notifications,
      routes: live.has('notifications.routes') ? next.notifications.routes : old.notifications.routes,
      channels: live.has('notifications.channels') ? next.notifications.channels : old.notifications.channels,
    },
    homeassistant: [...live].some((p) => p.startsWith('homeassistant.')) ? next.homeassistant : old.homeassistant,
    devices: liveDevices(old.devices, next.devices, live),
  }
}

/** The running list, with live additions, removals and changes of `next` applied; in the running order, new ones last. */
function liveDevices(old: readonly DeviceConfig[], next: readonly DeviceConfig[], live: ReadonlySet<string>) {
  const isLive = (id: string) => live.has(`devices[${id}]`)
  const nextById = new Map(next.map((d) => [d.id, d]))
  const oldIds = new Set(old.map((d) => d.id))
  const kept = old.flatMap((d) => {
    if (!isLive(d.id)) return [d]
    const changed = nextById.get(d.id)
    return changed === undefined ? [] : [changed]
  })
  const added = next.filter((d) => !oldIds.has(d.id) && isLive(d.id))
  return [...kept, ...added]
}
