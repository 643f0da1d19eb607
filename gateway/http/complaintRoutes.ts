import type { FastifyInstance } from 'fastify'
import { cleanDeviceString } from '../../devices/decoders/cleanDeviceString.js'
import { COMPLAINT_SITUATIONS, type ComplaintDesk, type ComplaintSituation } from '../core/complaint.js'
import type { ApiGuard } from './apiGuard.js'
import { badRequest } from './badRequest.js'

interface ComplaintBody {
  situations: ComplaintSituation[]
  zone: string
  note?: string
}

const MAX_NOTE = 500

const complaintBody = {
  type: 'object',
  properties: {
    situations: {
      type: 'array',
      items: { type: 'string', enum: [...COMPLAINT_SITUATIONS] },
      minItems: 1,
      uniqueItems: true,
    },
    zone: { type: 'string', minLength: 1, maxLength: 64 },
    // as long as an alarm note: it is part of the message the duty manager reads on a phone
    note: { type: 'string', maxLength: MAX_NOTE },
  },
  required: ['situations', 'zone'],
  additionalProperties: false,
} as const

/**
 * `POST /api/complaints` (docs/requirements.md#escalated-complaint): staff and up raise an escalated
 * complaint for a zone, saying which situations apply (group, aggressive, press). 201 with the
 * alarm; a second report for the same zone adds its situations to the open alarm (200).
 */
export function registerComplaintRoutes(app: FastifyInstance, deps: { desk: ComplaintDesk; guard: ApiGuard }): void {
  const { desk, guard } = deps
  app.post<{ Body: ComplaintBody }>(
    '/api/complaints',
    { onRequest: guard.require('staff'), schema: { body: complaintBody } },
    async (request, reply) => {
      const { situations, zone } = request.body
      if (!desk.zones().has(zone)) throw badRequest('body/zone is not a zone here')
      // cleaned like a device string (docs/rejected-input.md#cleaned-strings): it reaches MQTT, SMS and the journal
      const note = cleanDeviceString(request.body.note ?? '', MAX_NOTE).value.trim() || null
      const before = desk.open(zone)
      const alarm = desk.report({ situations, zone, note, by: guard.userOf(request).name })
      return reply.code(before === undefined ? 201 : 200).send({ alarm })
    },
  )
}
