import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { quietApiDeps } from '../../test/support/apiServerDeps.js'
import { apiTestUsers } from '../../test/support/apiUsers.js'
import type { Alarm } from '../core/alarm.js'
import type { ComplaintDesk } from '../core/complaint.js'
import { StoreGuardError } from '../core/errors.js'
import { createApiServer } from './apiServer.js'
import { listen } from './listen.js'

const { tokens, users } = apiTestUsers()

/** What the desk does with the next report: raise, or fail the way the composition root's desk can. */
let next: 'raise' | 'rule_disabled' | 'rule_failed' = 'raise'

const desk: ComplaintDesk = {
  zones: () => new Set(['hall']),
  open: () => undefined,
  report(report) {
    if (next === 'raise') return { id: 'a-1', kind: 'complaint_escalation', zone: report.zone } as Alarm
    throw new StoreGuardError(
      next,
      next === 'rule_failed' ? 'the complaint was not raised: call the duty manager' : 'off',
    )
  },
}

/** docs/requirements.md#escalated-complaint: what a member of staff's phone is told when the report did not go through. */
describe('POST /api/complaints when the rules could not raise it', () => {
  let app: FastifyInstance
  let base: string

  beforeAll(async () => {
    app = createApiServer({ ...quietApiDeps(users), complaints: desk })
    base = (await listen(app, '127.0.0.1', 0)).url
  })
  afterAll(async () => {
    await app.close()
  })

  const report = async () => {
    const res = await fetch(`${base}/api/complaints`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.staff}`, 'content-type': 'application/json' },
      body: JSON.stringify({ situations: ['group'], zone: 'hall' }),
    })
    return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string } } }
  }

  it('raised: 201 with the alarm', async () => {
    next = 'raise'
    expect(await report()).toMatchObject({ status: 201, body: { alarm: { id: 'a-1', zone: 'hall' } } })
  })

  it('the rule switched off in this store: 409 rule_disabled, not a pretend success', async () => {
    next = 'rule_disabled'
    expect(await report()).toMatchObject({ status: 409, body: { error: { code: 'rule_disabled' } } })
  })

  it('the rule failed on it: 500 rule_failed, saying it was not raised and to call the duty manager', async () => {
    next = 'rule_failed'
    const { status, body } = await report()
    expect(status).toBe(500)
    expect(body.error).toEqual({ code: 'rule_failed', message: 'the complaint was not raised: call the duty manager' })
  })
})
