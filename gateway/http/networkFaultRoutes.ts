import { randomBytes } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { cleanDeviceString } from '../../devices/decoders/cleanDeviceString.js'
import type { NetworkFault, NetworkFaultReport } from '../core/networkFault.js'
import type { Notice } from '../core/notice.js'
import { estimate, FAULT_ID_PATTERN, localized, MAX_FAULT_TEXT } from '../networkFaults/faultFields.js'
import type { ApiGuard } from './apiGuard.js'
import { badRequest } from './badRequest.js'

/** The network faults the API declares, clears and lists (gateway/networkFaults). */
export interface NetworkFaultCommands {
  declare(fault: NetworkFault, by: string): Notice
  clear(faultId: string, by: string): Notice
  list(): readonly { readonly id: string; readonly notice: Notice }[]
}

export interface NetworkFaultRoutesDeps {
  readonly faults: NetworkFaultCommands
  /** Sends a store's report to the centre (on `events`, through the bridge's durable uplink). */
  readonly report: (report: NetworkFaultReport) => void
  /** Whether a bridge to the centre is configured: without one the report is only on the local `events`. */
  readonly bridged: boolean
  readonly guard: ApiGuard
  readonly now: () => number
}

const faultText = {
  anyOf: [
    { type: 'string', minLength: 1, maxLength: MAX_FAULT_TEXT },
    {
      type: 'object',
      properties: {
        'zh-CN': { type: 'string', maxLength: MAX_FAULT_TEXT },
        en: { type: 'string', maxLength: MAX_FAULT_TEXT },
      },
      minProperties: 1,
      additionalProperties: false,
    },
  ],
} as const
const declareBody = {
  type: 'object',
  properties: {
    faultId: { type: 'string', pattern: FAULT_ID_PATTERN },
    area: faultText,
    services: faultText,
    expectedRecoveryAt: { anyOf: [{ type: 'string', format: 'date-time' }, { type: 'null' }] },
  },
  required: ['area', 'services'],
  additionalProperties: false,
} as const
const faultParams = {
  type: 'object',
  properties: { faultId: { type: 'string', pattern: FAULT_ID_PATTERN } },
  required: ['faultId'],
  additionalProperties: false,
} as const
const reportBody = {
  type: 'object',
  properties: {
    symptoms: { type: 'string', minLength: 1, maxLength: 500 },
    area: { type: 'string', minLength: 1, maxLength: MAX_FAULT_TEXT },
    customers: { type: 'integer', minimum: 1, maximum: 10_000 },
    numbers: { type: 'array', items: { type: 'string', pattern: '^\\+?[0-9]{3,20}$' }, maxItems: 50 },
    phoneModels: { type: 'string', maxLength: 200 },
  },
  required: ['symptoms', 'area', 'customers'],
  additionalProperties: false,
} as const

interface DeclareBody {
  faultId?: string
  area: unknown
  services: unknown
  expectedRecoveryAt?: string | null
}
interface ReportBody {
  symptoms: string
  area: string
  customers: number
  numbers?: string[]
  phoneModels?: string
}

/**
 * docs/requirements.md#network-fault: managers declare (`POST /api/events/network-fault`) and clear
 * (`DELETE /api/events/network-fault/:faultId`) a base-station fault as the centre does over the bridge;
 * anyone may list them; staff report many customers with the same problem
 * (`POST /api/events/network-fault/reports`), which goes to the centre.
 */
export function registerNetworkFaultRoutes(app: FastifyInstance, deps: NetworkFaultRoutesDeps): void {
  const { guard, faults } = deps
  app.get('/api/events/network-fault', { onRequest: guard.require('viewer') }, async () => ({
    faults: faults.list(),
  }))
  app.post<{ Body: DeclareBody }>(
    '/api/events/network-fault',
    { onRequest: guard.require('manager'), schema: { body: declareBody } },
    async (request, reply) => {
      const fault = declared(request.body, deps.now())
      const notice = faults.declare(fault, guard.userOf(request).name)
      return reply.code(201).send({ fault: { id: fault.id, notice } })
    },
  )
  app.delete<{ Params: { faultId: string } }>(
    '/api/events/network-fault/:faultId',
    { onRequest: guard.require('manager'), schema: { params: faultParams } },
    async (request) => {
      const { faultId } = request.params
      return { fault: { id: faultId, notice: faults.clear(faultId, guard.userOf(request).name) } }
    },
  )
  app.post<{ Body: ReportBody }>(
    '/api/events/network-fault/reports',
    { onRequest: guard.require('staff'), schema: { body: reportBody } },
    async (request, reply) => {
      const report = reported(request.body, guard.userOf(request).name, deps.now())
      deps.report(report)
      return reply.code(202).send({ report, central: deps.bridged ? 'queued' : 'no_bridge' })
    },
  )
}

/** What the schema cannot check: the texts say something once cleaned, the estimate is a time ahead. */
function declared(body: DeclareBody, now: number): NetworkFault {
  const area = localized(body.area)
  if (area === null) throw badRequest('body/area must have a text that is not blank')
  const services = localized(body.services)
  if (services === null) throw badRequest('body/services must have a text that is not blank')
  const expectedRecoveryAt = estimate(body.expectedRecoveryAt, now)
  if (expectedRecoveryAt === undefined)
    throw badRequest('body/expectedRecoveryAt must be a time between now and 31 days ahead')
  const id = body.faultId ?? `nf-${now.toString(36)}-${randomBytes(2).toString('hex')}`
  return { id, area, services, expectedRecoveryAt }
}

function reported(body: ReportBody, by: string, now: number): NetworkFaultReport {
  const clean = (raw: string, max: number) => cleanDeviceString(raw, max).value.trim()
  const symptoms = clean(body.symptoms, 500)
  const area = clean(body.area, MAX_FAULT_TEXT)
  if (symptoms === '') throw badRequest('body/symptoms must not be blank')
  if (area === '') throw badRequest('body/area must not be blank')
  const phoneModels = clean(body.phoneModels ?? '', 200)
  return {
    id: `nfr-${now.toString(36)}-${randomBytes(3).toString('hex')}`,
    symptoms,
    area,
    customers: body.customers,
    numbers: body.numbers ?? [],
    phoneModels: phoneModels === '' ? null : phoneModels,
    by,
    at: new Date(now).toISOString(),
  }
}
