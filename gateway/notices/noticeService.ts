import { randomBytes } from 'node:crypto'
import { type Clock, isoAt } from '../core/clock.js'
import { StoreGuardError } from '../core/errors.js'
import type { EventBus, NoticeAction } from '../core/events.js'
import type { NoticeIntent } from '../core/intent.js'
import type { Notice, NoticeAudience } from '../core/notice.js'
import type { PostedNotice } from '../core/ports.js'
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
  /** Notices people may have up at once; default 100. */
  readonly maxPosted?: number
}

/**
 * Customer and staff notices (docs/requirements.md#notices): posted and withdrawn by
 * rules, one per situation (`key`), saved before they are published, and
 * expired by the tick once `endsAt` has passed.
 */
export function createNoticeService(options: NoticeServiceOptions) {
  const { store, publisher, events, clock, locale } = options
  // each is retained on the broker and shown on every screen: a bound keeps a stuck client
  // or a careless script from filling the journal and the signage
  const maxPosted = options.maxPosted ?? 100
  const saved = store.active()
  const startsLater = (n: Notice) => Date.parse(n.startsAt) > clock.now()
  const active = new Map<string, Notice>(saved.filter((n) => !startsLater(n)).map((n) => [n.key, n]))
  /** People's notices for planned work, by id: journaled now, shown and published from their start. */
  const scheduled = new Map<string, Notice>(saved.filter(startsLater).map((n) => [n.id, n]))

  function commit(notice: Notice, action: NoticeAction, by: string): void {
    store.save(notice)
    if (notice.active) active.set(notice.key, notice)
    else active.delete(notice.key)
    publisher.noticeChanged(notice, action, by)
    events.emit({ type: 'notice', action, notice, by, at: notice.updatedAt })
  }

  const newId = () => `notice-${clock.now().toString(36)}-${randomBytes(3).toString('hex')}`

  function post(intent: NoticeIntent, by: string): void {
    const at = isoAt(clock.now())
    const endsAt = intent.endsAt === null ? null : isoAt(intent.endsAt)
    const estimate =
      intent.expectedRecoveryAt === undefined ? {} : { expectedRecoveryAt: isoAt(intent.expectedRecoveryAt) }
    const existing = active.get(intent.key)
    if (existing) {
      const same =
        existing.texts.en === intent.texts.en &&
        existing.texts['zh-CN'] === intent.texts['zh-CN'] &&
        existing.endsAt === endsAt &&
        existing.emergency === intent.emergency &&
        existing.expectedRecoveryAt === estimate.expectedRecoveryAt
      if (same) return
      const { emergency: _was, expectedRecoveryAt: _before, ...rest } = existing
      const updated = { ...rest, text: intent.texts[locale], texts: intent.texts, endsAt, updatedAt: at, ...estimate }
      commit(intent.emergency ? { ...updated, emergency: true } : updated, 'updated', by)
      return
    }
    commit(
      {
        id: newId(),
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
        ...estimate,
      },
      'posted',
      by,
    )
  }

  function end(key: string, action: 'withdrawn' | 'expired', by: string): void {
    const existing = active.get(key)
    if (existing) endNotice(existing, action, by)
  }

  function endNotice(existing: Notice, action: 'withdrawn' | 'expired', by: string): Notice {
    const ended = { ...existing, active: false, updatedAt: isoAt(clock.now()) }
    commit(ended, action, by)
    return ended
  }

  /** A person's notice is its own situation: its key is its id, so no rule's repeat can update it. */
  function postByPerson(posted: PostedNotice, by: string): Notice {
    const up = [...active.values()].filter((n) => n.postedBy !== undefined).length + scheduled.size
    if (up >= maxPosted)
      throw new StoreGuardError('too_many_notices', `${up} notices posted by people are up; withdraw one first`)
    const now = clock.now()
    const at = isoAt(now)
    const later = posted.startsAt !== null && posted.startsAt > now
    const id = newId()
    const notice: Notice = {
      id,
      key: `posted:${id}`,
      audience: posted.audience,
      zone: posted.zone,
      deviceId: posted.deviceId,
      text: posted.texts[locale],
      texts: posted.texts,
      startsAt: later && posted.startsAt !== null ? isoAt(posted.startsAt) : at,
      endsAt: posted.endsAt === null ? null : isoAt(posted.endsAt),
      updatedAt: at,
      active: true,
      postedBy: by,
    }
    if (later) {
      store.save(notice)
      scheduled.set(id, notice)
    } else commit(notice, 'posted', by)
    return notice
  }

  /** Puts up the scheduled notices whose start has come; one whose end passed meanwhile (a gateway off) just ends. */
  function startDue(now: number): void {
    for (const n of [...scheduled.values()]) {
      if (Date.parse(n.startsAt) > now) continue
      scheduled.delete(n.id)
      const over = n.endsAt !== null && Date.parse(n.endsAt) <= now
      if (over) store.save({ ...n, active: false, updatedAt: isoAt(now) })
      else commit({ ...n, updatedAt: isoAt(now) }, 'posted', n.postedBy ?? 'gateway:scheduled')
    }
  }

  /**
   * Only a person's notice: a rule's stands for a condition the rule still sees, and
   * the rule would post it again at its next reading, so withdrawing it is not ours to do.
   */
  function withdrawById(id: string, by: string): Notice {
    const waiting = scheduled.get(id)
    if (waiting) {
      // never shown nor published: only the journal has anything to take back
      scheduled.delete(id)
      const ended = { ...waiting, active: false, updatedAt: isoAt(clock.now()) }
      store.save(ended)
      return ended
    }
    const existing = [...active.values()].find((n) => n.id === id)
    if (!existing) throw new StoreGuardError('notice_not_found', `no active notice ${id}`)
    if (existing.postedBy === undefined)
      throw new StoreGuardError('notice_not_withdrawable', 'a rule posted this notice; it ends when its condition does')
    return endNotice(existing, 'withdrawn', by)
  }

  return {
    post,
    postByPerson,
    withdrawById,
    withdraw: (key: string, by: string): void => end(key, 'withdrawn', by),
    /** Puts up scheduled notices whose start has come, and ends notices whose `endsAt` has passed; every tick. */
    expire(): void {
      const now = clock.now()
      startDue(now)
      for (const n of [...active.values()])
        if (n.endsAt !== null && Date.parse(n.endsAt) <= now) endNotice(n, 'expired', 'gateway:expired')
    },
    byKey: (key: string) => active.get(key),
    /** People's notices waiting for their start, soonest first. */
    scheduled: (): Notice[] => [...scheduled.values()].sort((a, b) => a.startsAt.localeCompare(b.startsAt)),
    list: (audience?: NoticeAudience): Notice[] =>
      [...active.values()].filter((n) => audience === undefined || n.audience === audience),
    republishActive(): void {
      for (const n of active.values()) publisher.retainNotice(n)
    },
  }
}

export type NoticeService = ReturnType<typeof createNoticeService>
