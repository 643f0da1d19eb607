import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tempDir } from '../../test/support/tempDir.js'
import { createDingtalkChannel } from '../channels/dingtalkChannel.js'
import { renderEvent } from '../channels/render.js'
import { type HttpReceiver, startHttpReceiver } from '../channels/testing/httpReceiver.js'
import { alarmEvent } from '../channels/testing/sampleEvents.js'
import { createLogger } from '../log.js'
import { openDatabase, type SqliteDatabase } from '../storage/database.js'
import { createOutbox, type Outbox } from './outbox.js'
import { ROBOT_RATE_LIMITS } from './tokenBucket.js'

const T0 = Date.parse('2026-11-23T10:00:00Z')

/** The outbox driving the real DingTalk channel against a loopback stand-in for its robot API. */
describe('outbox with a real DingTalk channel', () => {
  let dir: ReturnType<typeof tempDir>
  let db: SqliteDatabase
  let robot: HttpReceiver
  let now: number
  let outbox: Outbox

  beforeEach(async () => {
    dir = tempDir()
    db = openDatabase(dir.path)
    robot = await startHttpReceiver()
    now = T0
    const channel = createDingtalkChannel(
      { id: 'duty-dingtalk', url: `${robot.origin}/robot/send?access_token=abc`, secret: 'SECtest' },
      { now: () => now },
    )
    outbox = createOutbox({
      db,
      channels: new Map([[channel.id, channel]]),
      limits: { [channel.id]: ROBOT_RATE_LIMITS.dingtalk },
      clock: { now: () => now },
      log: createLogger('silent'),
      backoff: { random: () => 0.5 },
    })
  })
  afterEach(async () => {
    await outbox.stop()
    await robot.close()
    db.close()
    dir.remove()
  })

  function sendAlarm(): string {
    const payload = renderEvent(alarmEvent(), { locale: 'zh-CN' })
    return outbox.send({ channel: 'duty-dingtalk', dedupKey: 'fire:hall:raised', payload })
  }

  it('retries an alarm message the robot refused as "send too fast" (errcode 130101), and delivers it', async () => {
    robot.reply(() =>
      robot.requests.length === 1
        ? { body: { errcode: 130101, errmsg: 'send too fast, exceed 20 times per minute' } }
        : { body: { errcode: 0, errmsg: 'ok' } },
    )
    const id = sendAlarm()
    await outbox.pump()
    expect(outbox.get(id)).toMatchObject({ status: 'pending', attempts: 1 })
    expect(outbox.get(id)?.lastError).toContain('rate limited')

    now += 60_000
    await outbox.pump()
    expect(outbox.get(id)).toMatchObject({ status: 'delivered', attempts: 2 })
    expect(robot.requests).toHaveLength(2)
    expect(robot.requests[0]?.body).toBe(robot.requests[1]?.body)
    expect(JSON.parse(robot.requests[1]?.body ?? '')).toMatchObject({ msgtype: 'markdown' })
  })

  it('fails, without retrying, an alarm message the robot refuses for good', async () => {
    robot.reply(() => ({ body: { errcode: 310000, errmsg: 'sign not match' } }))
    const id = sendAlarm()
    await outbox.pump()
    now += 3_600_000
    await outbox.pump()
    expect(outbox.get(id)).toMatchObject({ status: 'failed', attempts: 1 })
    expect(outbox.get(id)?.lastError).toContain('310000')
    expect(robot.requests).toHaveLength(1)
  })
})
