import { isDeepStrictEqual } from 'node:util'
import type { Channel, ChannelDeps } from '../channels/channel.js'
import type { NotificationChannelConfig } from '../config/notificationsSchema.js'
import { createChannel } from './channelFactory.js'

/**
 * Brings the outbox's channel map in line with a reloaded `next`, in place:
 * the outbox looks each channel up at delivery, so the next attempt uses the
 * new URL or secret. A channel whose config is unchanged keeps its instance;
 * a removed one is dropped, and what is still queued for it waits in the
 * journal (the outbox skips channels it does not know) until it comes back.
 */
export function updateChannels(
  channels: Map<string, Channel>,
  old: readonly NotificationChannelConfig[],
  next: readonly NotificationChannelConfig[],
  deps: ChannelDeps,
): void {
  const before = new Map(old.map((c) => [c.id, c]))
  const ids = new Set(next.map((c) => c.id))
  for (const id of [...channels.keys()]) if (!ids.has(id)) channels.delete(id)
  for (const c of next) {
    if (channels.has(c.id) && isDeepStrictEqual(before.get(c.id), c)) continue
    channels.set(c.id, createChannel(c, deps))
  }
}
