import { createJournal, type Journal } from '../storage/journal.js'
import type { GatewayContext } from './context.js'
import { registerJournalMetrics } from './journalMetrics.js'
import type { Lifecycle } from './lifecycle.js'

/**
 * The journal opens first, before the broker, so the first message can
 * already be journaled (docs/design.md#journal-before-publish); it closes last.
 */
export async function startStorage(ctx: GatewayContext, life: Lifecycle): Promise<Journal> {
  const { config, clock, log } = ctx
  // a full or read-only data disk degrades the journal to memory; it never stops the gateway (README "Degraded mode")
  const journal = createJournal({
    dataDir: config.storage.dataDir,
    maxPending: config.storage.journalMaxPendingWrites,
    log,
    now: clock.now,
  })
  registerJournalMetrics(ctx.metrics.registry, journal)
  // each tick tries the disk again while the journal holds writes in memory
  await life.start({ name: 'journal', tick: () => journal.retry(), stop: () => journal.close() })
  return journal
}
