import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { verifySecret } from '../security/secretHash.js'
import { loadConfig } from './loadConfig.js'

/*
 * The start banner prints deploy/demo.yaml's plain demo tokens and simulator
 * password; these checks make sure what it prints actually gets a user in.
 */
const DEMO = fileURLToPath(new URL('../../deploy/demo.yaml', import.meta.url))
const config = loadConfig(DEMO, {})
const demo = config.demo

describe('the demo credentials printed at start', () => {
  it('has a demo section with tokens and a simulator', () => {
    expect(demo).toBeDefined()
    expect(Object.keys(demo?.tokens ?? {}).length).toBeGreaterThan(0)
  })

  it('prints, for every role, a token that logs in as the API user with that role and no other', async () => {
    for (const [role, token] of Object.entries(demo?.tokens ?? {})) {
      const owners = config.api.users.filter((u) => u.role === role)
      expect(
        owners.map((u) => u.role),
        `an api user with role ${role}`,
      ).toEqual([role])
      for (const user of config.api.users) {
        const verifies = await verifySecret(token, user.tokenHash)
        expect(verifies, `demo token for ${role} against ${user.name} (${user.role})`).toBe(user.role === role)
      }
    }
  })

  it('prints a simulator password the embedded broker accepts for the simulator client', async () => {
    const username = demo?.simulator.username
    const client = config.broker.clients.find((c) => c.username === username)
    expect(client, `a broker client named ${username}`).toBeDefined()
    await expect(verifySecret(demo?.simulator.password ?? '', client?.passwordHash ?? '')).resolves.toBe(true)
  })

  it('prints an observer password the embedded broker accepts for a client that may publish nothing', async () => {
    const observer = demo?.observer
    expect(observer, 'a demo observer').toBeDefined()
    const client = config.broker.clients.find((c) => c.username === observer?.username)
    expect(client?.publish).toEqual([])
    expect(client?.subscribe).toEqual([`${config.topicPrefix}/#`])
    await expect(verifySecret(observer?.password ?? '', client?.passwordHash ?? '')).resolves.toBe(true)
  })
})
