import { SCENARIOS } from '../../devices/sim/scenarios.js'
import { connectHost } from '../core/connectHost.js'
import type { LoadedConfig } from './loadConfig.js'

/**
 * What a new user needs to see the demo work (docs/requirements.md#demo): where the console,
 * signage page, API and broker are, a token per role, the command that starts a fire, a read-only
 * login to watch the store on MQTT, and how to stop and start afresh.
 * Only for configs with a `demo` section: production configs print nothing.
 */
export function demoBanner(config: LoadedConfig, apiUrl: string, mqttPort: number | null): string | null {
  if (!config.demo) return null
  const smoke = config.devices.find((d) => d.type === 'smoke')
  const tokens = Object.entries(config.demo.tokens).map(([role, token]) => `    ${role.padEnd(12)} ${token}`)
  const viewer = config.demo.tokens.viewer ?? Object.values(config.demo.tokens)[0] ?? '<token>'
  const host = connectHost(config.broker.host)
  const port = mqttPort ?? config.broker.port
  const observer = config.demo.observer
  const lines = [
    '',
    `StoreGuard demo — store ${config.store.id} (${config.store.name}), ${config.devices.length} simulated devices`,
    `  Staff console ${apiUrl}/   (sign in with a token below)   Customer signage ${apiUrl}/signage`,
    `  HTTP API     ${apiUrl}   (try: curl -H 'Authorization: Bearer ${viewer}' ${apiUrl}/api/alarms)`,
    `  MQTT broker  mqtt://${host}:${port}   topics under ${config.topicPrefix}/`,
    ...(observer
      ? [
          `  Watch it (read only): mosquitto_sub -h ${host} -p ${port} -u ${shellWord(observer.username)} -P ${shellWord(observer.password)} -t '${config.topicPrefix}/#' -v`,
        ]
      : []),
    '  Demo tokens (demo only, never in production):',
    ...tokens,
    ...(smoke
      ? [`  Start a fire: npm run storeguard -- simulate fire ${smoke.id} --config ${relativeConfig(config.file)}`]
      : []),
    `  Other scenarios: ${Object.keys(SCENARIOS)
      .filter((s) => s !== 'fire')
      .join(', ')} (simulate <scenario> <device>)`,
    `  Stop: Ctrl-C. Start afresh: stop, then ${resetCommand(relativeConfig(config.file))}`,
    '',
  ]
  return `${lines.join('\n')}\n`
}

/** The README's `npm run demo:reset` for the shipped demo; the general form for a copy of it. */
function resetCommand(configFile: string): string {
  return configFile === 'deploy/demo.yaml'
    ? 'npm run demo:reset'
    : `npm run storeguard -- demo-reset --config ${configFile}`
}

function relativeConfig(file: string): string {
  const cwd = `${process.cwd()}/`
  return file.startsWith(cwd) ? file.slice(cwd.length) : file
}

/** A word the shell passes as is: a password from the environment may hold spaces or quotes. */
function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`
}
