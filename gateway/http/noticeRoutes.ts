import type { FastifyInstance } from 'fastify'
import { cleanDeviceString } from '../../devices/decoders/cleanDeviceString.js'
import type { LocalizedText } from '../core/alarm.js'
import type { NoticeAudience } from '../core/notice.js'
import type { DeviceDirectory, NoticeCommands, NoticeDirectory, PostedNotice } from '../core/ports.js'
import type { ApiGuard } from './apiGuard.js'
import { badRequest } from './badRequest.js'
import { idParams } from './routeSchemas.js'

/** Long enough for a fault notice and a way round it; short enough to read on a signage screen. */
export const MAX_NOTICE_TEXT = 280
/** A person's notice runs a year at most: one that outlives its reason should not stay up unseen. */
const MAX_NOTICE_MS = 366 * 24 * 3600 * 1000

const textSchema = { type: 'string', maxLength: MAX_NOTICE_TEXT } as const
const postBody = {
  type: 'object',
  properties: {
    audience: { type: 'string', enum: ['customer', 'staff'] },
    zone: { type: 'string', minLength: 1, maxLength: 64 },
    deviceId: { type: 'string', minLength: 1, maxLength: 128 },
    texts: {
      type: 'object',
      properties: { 'zh-CN': textSchema, en: textSchema },
      minProperties: 1,
      additionalProperties: false,
    },
    startsAt: { type: 'string', format: 'date-time' },
    endsAt: { type: 'string', format: 'date-time' },
  },
  required: ['audience', 'texts'],
  additionalProperties: false,
} as const

interface PostBody {
  audience: NoticeAudience
  zone?: string
  deviceId?: string
  texts: { 'zh-CN'?: string; en?: string }
  startsAt?: string
  endsAt?: string
}

export interface NoticeRoutesDeps {
  readonly notices: NoticeDirectory
  /** Without them only the list is served. */
  readonly commands?: NoticeCommands
  readonly devices: DeviceDirectory
  readonly guard: ApiGuard
  readonly now: () => number
}

/**
 * docs/requirements.md#notices: `GET /api/notices` for viewers; `POST /api/notices` and
 * `DELETE /api/notices/:id` for staff, who post notices for faults and planned work
 * (docs/requirements.md#http-api). Only notices people posted can be withdrawn here (409 otherwise).
 */
export function registerNoticeRoutes(app: FastifyInstance, deps: NoticeRoutesDeps): void {
  const { guard, commands } = deps
  app.get<{ Querystring: { audience?: NoticeAudience; state?: 'active' | 'scheduled' } }>(
    '/api/notices',
    {
      onRequest: guard.require('viewer'),
      schema: {
        querystring: {
          type: 'object',
          properties: {
            audience: { type: 'string', enum: ['customer', 'staff'] },
            state: { type: 'string', enum: ['active', 'scheduled'] },
          },
          additionalProperties: false,
        },
      },
    },
    async (request) => {
      const { audience, state } = request.query
      if (state !== 'scheduled') return { notices: deps.notices.list(audience) }
      const scheduled = commands?.scheduled() ?? []
      return { notices: scheduled.filter((n) => audience === undefined || n.audience === audience) }
    },
  )
  if (!commands) return

  app.post<{ Body: PostBody }>(
    '/api/notices',
    { onRequest: guard.require('staff'), schema: { body: postBody } },
    async (request, reply) => {
      const notice = commands.postByPerson(postedNotice(request.body, deps), guard.userOf(request).name)
      return reply.code(201).send({ notice })
    },
  )
  app.delete<{ Params: { id: string } }>(
    '/api/notices/:id',
    { onRequest: guard.require('staff'), schema: { params: idParams } },
    async (request) => ({ notice: commands.withdrawById(request.params.id, guard.userOf(request).name) }),
  )
}

/** What the schema cannot check: the device and zone exist, the texts say something, the end is ahead. */
function postedNotice(body: PostBody, deps: NoticeRoutesDeps): PostedNotice {
  const devices = deps.devices.list()
  const device = body.deviceId === undefined ? undefined : devices.find((d) => d.id === body.deviceId)
  if (body.deviceId !== undefined && device === undefined) throw badRequest('body/deviceId is not a device here')
  if (body.zone !== undefined && !devices.some((d) => d.zone === body.zone))
    throw badRequest('body/zone is not a zone here')
  if (device && body.zone !== undefined && device.zone !== body.zone)
    throw badRequest(`body/zone does not match the zone of ${device.id}`)
  return {
    audience: body.audience,
    zone: body.zone ?? device?.zone ?? null,
    deviceId: device?.id ?? null,
    texts: cleanTexts(body.texts),
    ...times(body, deps.now()),
  }
}

/**
 * Cleaned like a device string (docs/rejected-input.md#cleaned-strings): the text reaches signage, MQTT
 * and the journal. A language left out shows the other one, so a notice
 * written in one language still reaches every screen.
 */
function cleanTexts(texts: PostBody['texts']): LocalizedText {
  const clean = (raw: string | undefined) => cleanDeviceString(raw ?? '', MAX_NOTICE_TEXT).value.trim()
  const zh = clean(texts['zh-CN'])
  const en = clean(texts.en)
  if (zh === '' && en === '') throw badRequest('body/texts must have a text that is not blank')
  return { 'zh-CN': zh || en, en: en || zh }
}

/** A start already past is now; a later one is planned work. The end comes after both, within a year. */
function times(body: PostBody, now: number): { startsAt: number | null; endsAt: number | null } {
  const startsAt = body.startsAt === undefined ? null : Date.parse(body.startsAt)
  // the schema's date-time takes a leap second (23:59:60), which no Date can hold
  if (Number.isNaN(startsAt)) throw badRequest('body/startsAt is not a time this server can read')
  if (startsAt !== null && startsAt - now > MAX_NOTICE_MS) throw badRequest('body/startsAt must be within a year')
  if (body.endsAt === undefined) return { startsAt, endsAt: null }
  const endsAt = Date.parse(body.endsAt)
  if (!(endsAt > now)) throw badRequest('body/endsAt must be in the future')
  if (startsAt !== null && !(endsAt > startsAt)) throw badRequest('body/endsAt must be after startsAt')
  if (endsAt - now > MAX_NOTICE_MS) throw badRequest('body/endsAt must be within a year')
  return { startsAt, endsAt }
}
