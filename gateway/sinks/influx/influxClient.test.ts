import { describe, expect, it } from 'vitest'
import { isStoreGuardError } from '../../core/errors.js'
import { influxTls } from './influxClient.js'

const settings = { database: 'storeguard', timeoutMs: 1000 }

describe('how an https InfluxDB is trusted', () => {
  it('a CA file that cannot be read stops the start, naming the setting and the path', () => {
    let thrown: unknown
    try {
      influxTls({ ...settings, url: 'https://influx.example:8086', ca: '/nonexistent/influx-ca.crt' })
    } catch (err) {
      thrown = err
    }
    expect(isStoreGuardError(thrown, 'config_unreadable')).toBe(true)
    expect((thrown as Error).message).toBe('influx.ca: cannot read /nonexistent/influx-ca.crt: ENOENT')
  })

  it('verifies certificates unless rejectUnauthorized is false; plain http has no TLS settings', () => {
    expect(influxTls({ ...settings, url: 'https://influx.example:8086' })).toEqual({ rejectUnauthorized: true })
    expect(influxTls({ ...settings, url: 'https://influx.example:8086', rejectUnauthorized: false })).toEqual({
      rejectUnauthorized: false,
    })
    expect(influxTls({ ...settings, url: 'http://127.0.0.1:8086', ca: '/nonexistent/influx-ca.crt' })).toEqual({})
  })
})
