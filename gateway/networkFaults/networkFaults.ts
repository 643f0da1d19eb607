import type { TextTemplates } from '../../rules/checklists/texts.js'
import {
  networkFaultCleared,
  networkFaultIdOf,
  networkFaultKey,
  networkFaultNotices,
} from '../../rules/networkFault.js'
import { StoreGuardError } from '../core/errors.js'
import type { NetworkFault } from '../core/networkFault.js'
import type { Notice } from '../core/notice.js'
import type { TextBook } from '../core/texts.js'
import type { NoticeService } from '../notices/noticeService.js'

export interface NetworkFaultsOptions {
  readonly notices: Pick<NoticeService, 'post' | 'withdraw' | 'byKey' | 'list'>
  readonly texts: TextBook<TextTemplates>
  /** The store's IANA zone: the recovery time is shown on the store's clock. */
  readonly timeZone: string
}

/** A declared fault as the API lists it: its id and its customer notice. */
export interface DeclaredNetworkFault {
  readonly id: string
  readonly notice: Notice
}

/**
 * Network faults declared by the centre or a manager (docs/requirements.md#network-fault): the notices
 * are the state. They are journaled like every notice, so a declared fault is still posted after a
 * restart, and only a clear takes it down.
 */
export function createNetworkFaults(options: NetworkFaultsOptions) {
  const { notices } = options
  return {
    /** Posts (or updates, for a known id) the staff and customer notices; returns the customer notice. */
    declare(fault: NetworkFault, by: string): Notice {
      for (const intent of networkFaultNotices(fault, options.texts, options.timeZone)) notices.post(intent, by)
      const posted = notices.byKey(networkFaultKey(fault.id))
      if (!posted) throw new Error(`network fault ${fault.id} was not posted`)
      return posted
    },
    /** Withdraws both notices; throws `network_fault_not_found` when none is up for that id. */
    clear(faultId: string, by: string): Notice {
      const posted = notices.byKey(networkFaultKey(faultId))
      if (!posted) throw new StoreGuardError('network_fault_not_found', `no declared network fault ${faultId}`)
      for (const intent of networkFaultCleared(faultId)) notices.withdraw(intent.key, by)
      return { ...posted, active: false }
    },
    list(): DeclaredNetworkFault[] {
      return notices.list('customer').flatMap((notice) => {
        const id = networkFaultIdOf(notice.key)
        return id === null ? [] : [{ id, notice }]
      })
    },
  }
}

export type NetworkFaults = ReturnType<typeof createNetworkFaults>
