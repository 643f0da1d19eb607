import { execFile } from 'node:child_process'

/** Sends one sd_notify message (its `KEY=VALUE` fields); rejects when it could not be sent. */
export type NotifySpawn = (fields: readonly string[], env: NodeJS.ProcessEnv) => Promise<void>

/**
 * systemd-notify waits (BARRIER=1) until systemd has read the message, and
 * systemd normally answers at once; a manager that never does must not keep
 * a child around forever.
 */
const NOTIFY_TIMEOUT_MS = 10_000

/**
 * One run of `systemd-notify FIELD…`. Without --no-block, systemd 246+
 * waits for the barrier, so the message is attributed to this service
 * (NotifyAccess=all) before the short-lived process exits.
 */
export const execSystemdNotify: NotifySpawn = (fields, env) =>
  new Promise((resolve, reject) => {
    execFile(
      'systemd-notify',
      [...fields],
      { env, timeout: NOTIFY_TIMEOUT_MS, encoding: 'utf8' },
      (err, _out, stderr) => {
        if (err) reject(Object.assign(err, { stderr: stderr.trim() }))
        else resolve()
      },
    )
  })
