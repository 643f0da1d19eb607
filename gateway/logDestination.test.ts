import { once } from 'node:events'
import { connect, createServer, type Socket } from 'node:net'
import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { createLogger } from './log.js'
import { createLogDestination } from './logDestination.js'

/** A loopback TCP connection whose far end has been closed: writes fail as on a pipe whose reader exited. */
async function socketWithReaderGone(): Promise<Socket> {
  const server = createServer((peer) => peer.destroy())
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  const socket = connect(port, '127.0.0.1')
  await once(socket, 'connect')
  await once(socket, 'end').catch(() => undefined)
  server.close()
  return socket
}

describe('the log destination when its reader goes away', () => {
  it('keeps the gateway logging (into nothing) after the reader has gone, and says so once', async () => {
    const socket = await socketWithReaderGone()
    const lost: string[] = []
    const destination = createLogDestination(socket, { onLost: (err) => lost.push(String(err)) })
    const log = createLogger('info', destination)
    // the first writes fail asynchronously (EPIPE / ECONNRESET); every call still returns normally
    while (!destination.lost) {
      log.info({ n: 1 }, 'still running')
      await new Promise((resolve) => setImmediate(resolve))
    }
    expect(() => {
      for (let i = 0; i < 100; i++) log.error({ i }, 'nobody reads this')
    }).not.toThrow()
    expect(lost).toHaveLength(1)
    expect(destination.dropped).toBeGreaterThanOrEqual(100)
  })

  it('drops lines instead of piling them up while a reader has stopped reading', () => {
    const stalled = new Writable({ highWaterMark: 1024, write: () => {} }) // never calls back: nothing drains
    const destination = createLogDestination(stalled, { maxQueuedBytes: 10_000, onLost: () => {} })
    const log = createLogger('info', destination)
    for (let i = 0; i < 1000; i++) log.info({ i, pad: 'x'.repeat(100) }, 'queued')
    expect(stalled.writableLength).toBeLessThan(10_000 + 1000)
    expect(destination.dropped).toBeGreaterThan(900)
    expect(destination.lost).toBe(false)
  })

  it('never lets a write that throws (a full disk) reach the code that logged', () => {
    const full = {
      on: () => full,
      destroyed: false,
      writableLength: 0,
      write: () => {
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })
      },
    } as unknown as Writable
    const lost: string[] = []
    const log = createLogger('info', createLogDestination(full, { onLost: (err) => lost.push(err.message) }))
    expect(() => log.warn('disk full')).not.toThrow()
    expect(lost).toEqual(['ENOSPC: no space left on device, write'])
  })
})
