import { randomBytes } from 'node:crypto'
import { type Clock, isoAt } from '../core/clock.js'
import type { EventBus, NoticeAction } from '../core/events.js'
import type { NoticeIntent } from '../core/intent.js'
import type { Notice, NoticeAudience } from '../core/notice.js'
import type { NoticeStore } from './noticeStore.js'

/** Where notice state goes after it is saved: retained MQTT and `events` (docs/requirements.md#mqtt-topics). */
export interface NoticePublisher {
  noticeChanged(notice: Notice, action: NoticeAction, by: string): void
  retainNotice(notice: Notice): void
}

export interface NoticeServiceOptions {
  readonly store: NoticeStore
  readonly publisher: NoticePublisher
  readonly events: EventBus
  readonly clock: Clock
  readonly locale: 'zh-CN' | 'en'
}

/**
 * Customer and staff notices (docs/requirements.md#notices): posted and withdrawn by
 * rules, one per situation (`key`), saved before they are published, and
 * expired by the tick once `endsAt` has passed.
 */
export function createNoticeService(options: NoticeServiceOptions) {
  const { store, publisher, events, clock, locale } = options
  const active = new Map<string, Notice>(store.active().map((n) => [n.key, n]))

  function commit(notice: Notice, action: NoticeAction, by: string): void {
    store.save(notice)
    if (notice.active) active.set(notice.key, notice)
    else active.delete(notice.key)
    publisher.noticeChanged(notice, action, by)
    events.emit({ type: 'notice', action, notice, by, at: notice.updatedAt })
  }

  function post(intent: NoticeIntent, by: string): void {
    const at = isoAt(clock.now())
    const endsAt = intent.endsAt === null ? null : isoAt(intent.endsAt)
    const existing = active.get(intent.key)
    if (existing) {
      const same =
        existing.texts.en === intent.texts.en &&
        existing.texts['zh-CN'] === intent.texts['zh-CN'] &&
        existing.endsAt === endsAt &&
        existing.emergency === intent.emergency
      if (same) return
      const { emergency: _was, ...rest } = existing
      const updated = { ...rest, text: intent.texts[locale], texts: intent.texts, endsAt, updatedAt: at }
      commit(intent.emergency ? { ...updated, emergency: true } : updated, 'updated', by)
      return
    }
    commit(
      {
        id: `notice-${clock.now().toString(36)}-${randomBytes(3).toString('hex')}`,
        key: intent.key,
        audience: intent.audience,
        zone: intent.zone,
        deviceId: intent.deviceId,
        text: intent.texts[locale],
        texts: intent.texts,
        startsAt: at,
        endsAt,
        updatedAt: at,
        active: true,
        ...(intent.emergency ? { emergency: true } : {}),
      },
      'posted',
      by,
    )
  }

  function end(key: string, action: 'withdrawn' | 'expired', by: string): void {
    const existing = active.get(key)
    if (!existing) return
    commit({ ...existing, active: false, updatedAt: isoAt(clock.now()) }, action, by)
  }

  return {
    post,
    withdraw: (key: string, by: string) => end(key, 'withdrawn', by),
    /** Ends notices whose `endsAt` has passed. */
    expire(): void {
      const now = clock.now()
      for (const n of [...active.values()])
        if (n.endsAt !== null && Date.parse(n.endsAt) <= now) end(n.key, 'expired', 'gateway:expired')
    },
    byKey: (key: string) => active.get(key),
    list: (audience?: NoticeAudience): Notice[] =>
      [...active.values()].filter((n) => audience === undefined || n.audience === audience),
    republishActive(): void {
      for (const n of active.values()) publisher.retainNotice(n)
    },
  }
}

export type NoticeService = ReturnType<typeof createNoticeService>
