/**
 * How often to ping systemd's watchdog, in ms: half of WATCHDOG_USEC, as
 * sd_watchdog_enabled(3) recommends. Undefined when systemd set no watchdog,
 * the value is not a positive integer, or WATCHDOG_PID names another process
 * (the variables were inherited from a parent that owns the watchdog).
 */
export function watchdogIntervalMs(env: NodeJS.ProcessEnv, pid: number): number | undefined {
  const usecText = env.WATCHDOG_USEC ?? ''
  if (!/^\d+$/.test(usecText)) return undefined
  const usec = Number(usecText)
  if (usec <= 0 || !Number.isSafeInteger(usec)) return undefined
  const owner = env.WATCHDOG_PID
  if (owner !== undefined && owner !== '' && owner !== String(pid)) return undefined
  return Math.max(1, Math.floor(usec / 2000))
}
