import type * as Http from 'node:http'
import type * as Https from 'node:https'
import { createRequire } from 'node:module'
import { type ClientSettings, type InfluxTls, influxEndpoint, influxTls } from './influxClient.js'

// Required, not imported: node:http as an ES module builds its namespace from every export, and
// three are getters (WebSocket, CloseEvent, MessageEvent) that load Node's fetch implementation,
// undici: 750 KB of source and its code in the heap for good (docs/performance.md#idle-memory).
const require = createRequire(import.meta.url)
const { Agent: HttpAgent, request: httpRequest } = require('node:http') as typeof Http
const { Agent: HttpsAgent, request: httpsRequest } = require('node:https') as typeof Https

/** POSTs line protocol to `/write`; resolves on 204, rejects as `classifyFailure` expects. */
export type LineWriter = (body: string) => Promise<void>

/**
 * The write path to InfluxDB 1.x without node-influx (which rebuilt every
 * point): one keep-alive connection, `precision=ms`, basic auth from the
 * settings or the URL's user info, `influx.ca` for https, a timeout per request. A refusal rejects
 * with `res.statusCode` and the body in the message (`A 400 error occurred:
 * {"error":…}`), the same shape node-influx's errors have, so one
 * `classifyFailure` decides for both; a network error or timeout rejects
 * with no response (InfluxDB unavailable).
 */
export function createLineWriter(config: ClientSettings, tls: InfluxTls = influxTls(config)): LineWriter {
  const { https, host, port, path: prefix, username, password } = influxEndpoint(config)
  const path = `${prefix}/write?${new URLSearchParams({ db: config.database, precision: 'ms' })}`
  const agent = https
    ? new HttpsAgent({ keepAlive: true, maxSockets: 1, ...tls })
    : new HttpAgent({ keepAlive: true, maxSockets: 1 })
  const request = https ? httpsRequest : httpRequest
  const auth =
    username === undefined ? undefined : `Basic ${Buffer.from(`${username}:${password ?? ''}`).toString('base64')}`

  return (body) =>
    new Promise<void>((resolve, reject) => {
      const payload = Buffer.from(body, 'utf8')
      const req = request(
        {
          agent,
          host,
          port,
          method: 'POST',
          path,
          timeout: config.timeoutMs,
          headers: {
            'content-type': 'text/plain; charset=utf-8',
            'content-length': payload.length,
            ...(auth === undefined ? {} : { authorization: auth }),
          },
        },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (chunk: Buffer) => chunks.push(chunk))
          res.on('error', reject)
          res.on('end', () => {
            const status = res.statusCode ?? 0
            if (status >= 200 && status < 300) resolve()
            else {
              const text = Buffer.concat(chunks).toString('utf8')
              reject(Object.assign(new Error(`A ${status} error occurred: ${text}`), { res: { statusCode: status } }))
            }
          })
        },
      )
      req.on('timeout', () => req.destroy(new Error(`InfluxDB write timed out after ${config.timeoutMs} ms`)))
      req.on('error', reject)
      req.end(payload)
    })
}
