import type { FastifyInstance, FastifyRequest, onRequestHookHandler } from 'fastify'
import type { AlarmCommands } from '../core/ports.js'
import { findVisibleAlarm } from './alarmVisibility.js'
import type { ApiGuard } from './apiGuard.js'

/** A path that takes an alarm id: `/alarms/:<param>`, whatever the param is called and wherever it sits. */
const ALARM_ID_SEGMENT = /\/alarms\/:([A-Za-z0-9_]+)/

export interface AlarmIdGuardDeps {
  readonly guard: ApiGuard
  readonly alarms: Pick<AlarmCommands, 'get' | 'history'>
}

/**
 * Every route registered after this call whose path takes an alarm id first
 * signs the caller in (401) and then looks the alarm up as they may see it
 * (404), before its own role check, body parsing and validation, or the
 * alarm service run. So a silent alarm cannot be told from a made-up id by a
 * 403, 400, 413 or 409 either. Hooked on route registration rather than
 * written into each route, so a route added later cannot leave it out.
 */
export function guardAlarmIds(app: FastifyInstance, deps: AlarmIdGuardDeps): void {
  const signedIn = deps.guard.require('viewer')
  const installed = new WeakSet<object>()
  app.addHook('onRoute', (route) => {
    const param = ALARM_ID_SEGMENT.exec(route.url)?.[1]
    if (param === undefined) return
    const own: onRequestHookHandler[] = route.onRequest === undefined ? [] : [route.onRequest].flat()
    if (own.some((hook) => installed.has(hook))) return
    const visible = async (request: FastifyRequest): Promise<void> => {
      const id = (request.params as Record<string, string | undefined>)[param] ?? ''
      findVisibleAlarm(deps.alarms, deps.guard.userOf(request).role, id)
    }
    installed.add(visible)
    route.onRequest = [signedIn, visible, ...own]
  })
}
