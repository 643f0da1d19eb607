import { Counter, Gauge, type Registry } from 'prom-client'
import type { Journal } from '../storage/journal.js'

/** `/metrics` for the journal: whether it writes, what waits in memory, what the memory queue dropped. */
export function registerJournalMetrics(registry: Registry, journal: Journal): void {
  new Gauge({
    name: 'storeguard_journal_up',
    help: '1 while the alarm journal takes writes, 0 while the gateway announces from memory',
    registers: [registry],
    collect() {
      this.set(journal.health().up ? 1 : 0)
    },
  })
  new Gauge({
    name: 'storeguard_journal_pending_writes',
    help: 'journal writes held in memory until the disk takes writes again',
    registers: [registry],
    collect() {
      this.set(journal.health().pending)
    },
  })
  const lost = new Counter({
    name: 'storeguard_journal_lost_writes_total',
    help: 'journal writes dropped because the memory queue was full, by table',
    labelNames: ['table'],
    registers: [registry],
  })
  journal.onLost((table) => lost.inc({ table }))
}
