import type { Channel, ChannelDeps } from '../channels/channel.js'
import { createDingtalkChannel } from '../channels/dingtalkChannel.js'
import { createEmailChannel, type EmailPayload } from '../channels/emailChannel.js'
import { createFeishuChannel } from '../channels/feishuChannel.js'
import type { RenderedMessage } from '../channels/render.js'
import { createSmsChannel, type SmsPayload } from '../channels/smsChannel.js'
import { createWebhookChannel } from '../channels/webhookChannel.js'
import { createWecomChannel } from '../channels/wecomChannel.js'
import type { NotificationChannelConfig } from '../config/notificationsSchema.js'
import { StoreGuardError } from '../core/errors.js'
import type { GatewayEvent } from '../core/events.js'
import { type BucketLimit, ROBOT_RATE_LIMITS } from '../outbox/tokenBucket.js'
import type { AlarmGroupEvent } from './digest.js'

/** What each kind of channel is handed: robots get the rendered message, a webhook the event too. */
export function payloadFor(channel: Channel, event: GatewayEvent | AlarmGroupEvent, message: RenderedMessage): unknown {
  switch (channel.kind) {
    case 'webhook':
      return { event, message }
    case 'sms':
      return { message } satisfies SmsPayload
    case 'email':
      return { message } satisfies EmailPayload
    default:
      return message
  }
}

/** One configured channel, ready for the outbox. */
export function createChannel(c: NotificationChannelConfig, deps: ChannelDeps): Channel {
  const common = {
    id: c.id,
    url: c.url,
    ...(c.timeoutMs === undefined ? {} : { timeoutMs: c.timeoutMs }),
  }
  const secret = c.secret === undefined ? {} : { secret: c.secret }
  const headers = c.headers === undefined ? {} : { headers: c.headers }
  const robotFormat = c.format === 'markdown' || c.format === 'text' ? { format: c.format } : {}
  switch (c.kind) {
    case 'webhook':
      return createWebhookChannel({ ...common, ...secret, ...headers }, deps)
    case 'wecom':
      return createWecomChannel({ ...common, ...robotFormat }, deps)
    case 'dingtalk':
      return createDingtalkChannel({ ...common, ...secret, ...robotFormat }, deps)
    case 'feishu':
      return createFeishuChannel(
        { ...common, ...secret, ...(c.format === 'post' || c.format === 'text' ? { format: c.format } : {}) },
        deps,
      )
    case 'sms':
      return createSmsChannel(
        {
          ...common,
          ...headers,
          ...(c.method === undefined ? {} : { method: c.method }),
          ...(c.body === undefined ? {} : { body: c.body }),
          ...(c.bodyEncoding === undefined ? {} : { bodyEncoding: c.bodyEncoding }),
          ...(c.successPattern === undefined ? {} : { successPattern: c.successPattern }),
          ...(c.retryPattern === undefined ? {} : { retryPattern: c.retryPattern }),
          ...(c.maxTextChars === undefined ? {} : { maxTextChars: c.maxTextChars }),
          ...(c.to === undefined ? {} : { to: c.to }),
        },
        deps,
      )
    case 'email':
      return createEmailChannel(emailConfig(c), deps)
  }
}

/**
 * `smtp://user:password@relay:587` (STARTTLS when offered) or `smtps://…:465`
 * (TLS from the first byte): one URL, so the password is one `${ENV}`
 * reference like every other secret. The config check has already refused
 * any other scheme and a missing `from`.
 */
function emailConfig(c: NotificationChannelConfig): Parameters<typeof createEmailChannel>[0] {
  const url = new URL(c.url)
  const secure = url.protocol === 'smtps:'
  if (!secure && url.protocol !== 'smtp:') {
    throw new StoreGuardError('config_invalid', `notification channel "${c.id}": url must be smtp:// or smtps://`)
  }
  return {
    id: c.id,
    host: url.hostname,
    secure,
    ...(url.port === '' ? {} : { port: Number(url.port) }),
    ...(url.username === '' ? {} : { username: decodeURIComponent(url.username) }),
    ...(url.password === '' ? {} : { password: decodeURIComponent(url.password) }),
    ...(c.requireTls === undefined ? {} : { requireTls: c.requireTls }),
    ...(c.timeoutMs === undefined ? {} : { timeoutMs: c.timeoutMs }),
    from: c.from ?? '',
    to: c.to ?? [],
  }
}

/** The robot webhooks' own send limits, by channel id: the outbox holds messages back rather than be refused. */
export function rateLimitsOf(configs: readonly NotificationChannelConfig[]): Record<string, readonly BucketLimit[]> {
  const limits: Record<string, readonly BucketLimit[]> = {}
  for (const c of configs) {
    if (c.kind === 'dingtalk' || c.kind === 'wecom' || c.kind === 'feishu') limits[c.id] = ROBOT_RATE_LIMITS[c.kind]
  }
  return limits
}
