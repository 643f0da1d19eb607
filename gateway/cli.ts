#!/usr/bin/env node
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { connectAsync } from 'mqtt'
import { deviceMessages } from '../devices/sim/deviceMessages.js'
import { isScenarioName, SCENARIOS } from '../devices/sim/scenarios.js'
import {
  BACKUP_USAGE,
  backupCommand,
  parseBackupArgs,
  parseRestoreArgs,
  restoreCommand,
} from './backup/backupCommands.js'
import type { StoreFiles } from './backup/storeFiles.js'
import { demoBanner } from './config/demoBanner.js'
import { jsonSchema } from './config/jsonSchema.js'
import { loadGatewayTls } from './config/listenerTls.js'
import { type LoadedConfig, loadConfig } from './config/loadConfig.js'
import { loadConfigApart } from './config/loadConfigApart.js'
import { OLD_HASH_ADVICE, oldSecretHashes } from './config/oldSecretHashes.js'
import { securityWarnings } from './config/securityWarnings.js'
import { connectHost } from './core/connectHost.js'
import { isStoreGuardError } from './core/errors.js'
import { redactUrls } from './logRedaction.js'
import { resetDemoData } from './main/demoReset.js'
import { type RunningGateway, startGateway } from './main/main.js'
import { watchParent } from './main/parentWatch.js'
import { createReloadQueue } from './main/reloadQueue.js'
import { hashSecret } from './security/secretHash.js'
import { createSystemdNotifier } from './systemd/systemdNotifier.js'

const USAGE = `storeguard — store-safety and facilities monitoring gateway

Usage:
  storeguard run [--config FILE] [--stop-with-parent[=PID]]
                                              start the gateway (default config: $STOREGUARD_CONFIG or ./storeguard.yaml);
                                              --stop-with-parent: stop when the process that started it (or PID) exits (npm start)
  storeguard validate FILE | --config FILE    check a config file and exit
  storeguard simulate SCENARIO DEVICE [--config FILE] [--broker mqtt://HOST:PORT]
                                              publish a simulated device message (scenarios: ${Object.keys(SCENARIOS).join(', ')})
  storeguard hash-secret [SECRET]             print the hash of a password or token for the config (reads stdin if no SECRET)
  storeguard schema                           print the config JSON Schema
  storeguard demo-reset [--config FILE]       delete a demo config's data directory (its alarms, tickets, notices), to start afresh
${BACKUP_USAGE}`

// the last one wins, so `npm start -- --config mine.yaml` overrides the script's own --config
function option(args: string[], name: string): string | undefined {
  const i = args.lastIndexOf(name)
  return i >= 0 ? args[i + 1] : undefined
}

function configPath(args: string[]): string {
  return option(args, '--config') ?? process.env.STOREGUARD_CONFIG ?? 'storeguard.yaml'
}

async function run(args: string[]): Promise<void> {
  // read before the config loads (in a worker, some hundred ms): a parent gone meanwhile is gone
  const launchedBy = process.ppid
  const config = await loadConfigApart(configPath(args))
  // Signals are taken before the gateway starts: a SIGTERM while it opens the
  // journal or binds its ports (systemd stopping a unit that is still starting)
  // must stop it in order, not kill it half-way with ports and children left over.
  // A promise settles once, so a second signal while stopping changes nothing.
  let signalled: (signal: string) => void = () => {}
  const stopRequested = new Promise<string>((resolve) => {
    signalled = resolve
  })
  process.on('SIGINT', () => signalled('SIGINT'))
  process.on('SIGTERM', () => signalled('SIGTERM'))
  const stopWith = args.find((a) => a === '--stop-with-parent' || a.startsWith('--stop-with-parent='))
  if (stopWith !== undefined) {
    // `=PID`: the parent as the parent knows itself, so one that dies while this process still loads counts too
    const named = Number(stopWith.slice('--stop-with-parent='.length))
    watchParent({
      gone: () => signalled('parent exited'),
      parent: Number.isSafeInteger(named) && named > 0 ? named : launchedBy,
    })
  }
  // SIGHUP (systemctl reload) re-reads the config; taken now, so it never kills a starting gateway
  const reloads = createReloadQueue((err) => running?.log.error({ err }, 'config reload failed'))
  process.on('SIGHUP', () => reloads.request())
  let running: RunningGateway | undefined
  // before the gateway (and so its logger) exists, stderr is the only place to say why
  const fatal = (msg: string, data: Record<string, unknown>): never => {
    if (running) running.log.error(data, msg)
    else process.stderr.write(`storeguard: ${msg}\n`)
    process.exit(1)
  }
  let systemd: ReturnType<typeof createSystemdNotifier> | undefined
  const starting = startGateway(config)
  let stopping = false
  void stopRequested.then(async (signal) => {
    stopping = true
    const timeoutSec = config.shutdown.timeoutSec
    // whatever hangs while starting or stopping (a peer that never answers, a stuck stream), the service still stops
    setTimeout(() => fatal('stop timed out: exiting anyway', { timeoutSec }), timeoutSec * 1000)
    try {
      const gateway = await starting
      gateway.log.info({ signal, timeoutSec }, 'stopping')
      // a reload under way ends first and none starts after: it would reach parts already stopped
      await reloads.close()
      await Promise.all([systemd?.stopping(), gateway.stop()])
    } catch (err) {
      fatal('stop failed', { err })
    }
    process.exit(0)
  })
  const gateway = await starting
  running = gateway
  if (stopping) return
  // under systemd (Type=notify) READY=1 once serving, watchdog pings, STOPPING=1; else nothing
  systemd = createSystemdNotifier({ log: gateway.log })
  systemd.ready(`store ${config.store.id}, API ${gateway.apiUrl}`)
  reloads.attach(gateway, systemd)
  const banner = demoBanner(config, gateway.apiUrl, gateway.mqttPort)
  if (banner) process.stdout.write(banner)
  // An unexpected error in the core is fatal; systemd restarts us and the journal makes that safe.
  process.on('uncaughtException', (err) => {
    gateway.log.fatal({ err }, 'uncaught exception')
    process.exit(1)
  })
}

function validate(args: string[]): void {
  // `--config FILE` as `run` takes it, so a script can check the file it is about to start with
  const file = args[0] === '--config' ? args[1] : args[0]
  if (!file) throw new UsageError('validate needs a FILE')
  const config = loadConfig(file)
  // the listeners' certificate files, as the start would read them: a wrong path fails here, not at the store
  loadGatewayTls(config)
  // valid but exposed: said on stderr, exit code still 0, so scripts that only check validity keep working
  for (const w of securityWarnings(config)) process.stderr.write(`${file}: warning: ${w.path} ${w.message}\n`)
  for (const path of oldSecretHashes(config)) process.stderr.write(`${file}: note: ${path} ${OLD_HASH_ADVICE}\n`)
  process.stdout.write(`${file}: valid (store ${config.store.id}, ${config.devices.length} devices)\n`)
}

async function simulate(args: string[]): Promise<void> {
  const [scenario, deviceId] = args
  if (!scenario || !deviceId) throw new UsageError('simulate needs a SCENARIO and a DEVICE')
  if (!isScenarioName(scenario)) throw new UsageError(`unknown scenario "${scenario}"`)
  const config = loadConfig(configPath(args))
  const device = config.devices.find((d) => d.id === deviceId)
  if (!device) throw new UsageError(`no device "${deviceId}" in ${config.file}`)
  const definition = SCENARIOS[scenario]
  if (!(definition.types as readonly string[]).includes(device.type)) {
    throw new UsageError(`scenario ${scenario} is for ${definition.types.join(', ')}, not ${device.type}`)
  }
  const sim = config.demo?.simulator
  if (!sim || sim.password === '') throw new UsageError(`${config.file} has no demo.simulator credentials`)
  const url = option(args, '--broker') ?? brokerUrl(config)
  const client = await connectAsync(url, {
    username: sim.username,
    password: sim.password,
    reconnectPeriod: 0,
    connectTimeout: 5000,
  })
  const metrics = definition.metrics(device)
  // Modbus and GPIO devices are not on MQTT: the demo's simulated hardware takes the scenario instead
  // imported here: the simulated hardware brings modbus-serial and serialport, which `run` must not
  // load for a store without Modbus (docs/performance.md#idle-memory)
  const { simTopic } = await import('../devices/sim/simulatedHardware.js')
  const messages =
    device.modbus || device.gpio
      ? [{ topic: simTopic(config.topicPrefix, device.id), payload: JSON.stringify(metrics) }]
      : deviceMessages(device, config.topicPrefix, metrics)
  for (const m of messages) {
    await client.publishAsync(m.topic, m.payload, { qos: 1 })
    process.stdout.write(`published ${m.topic} ${m.payload}\n`)
  }
  await client.endAsync()
}

function brokerUrl(config: LoadedConfig): string {
  if (config.broker.mode === 'external' && config.broker.url) return config.broker.url
  return `mqtt://${connectHost(config.broker.host)}:${config.broker.port}`
}

/** What backup and restore need of the config: the store, its data dir and its setup files. */
function storeFiles(args: string[]): StoreFiles {
  const config = loadConfig(configPath(args))
  return {
    storeId: config.store.id,
    dataDir: config.storage.dataDir,
    configFile: config.file,
    holidayOverrides: config.tickets.holidayOverrides,
  }
}

class UsageError extends Error {}

/** The checkout or install this cli runs from (dist/gateway/cli.js → ../..): demo-reset deletes nothing outside it. */
const PACKAGE_ROOT = fileURLToPath(new URL('../..', import.meta.url))

async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv
  switch (command) {
    case 'run':
      return run(args)
    case 'validate':
      return validate(args)
    case 'simulate':
      return simulate(args)
    case 'hash-secret': {
      const secret = args[0] ?? readFileSync(0, 'utf8').trim()
      if (secret === '') throw new UsageError('hash-secret needs a SECRET')
      process.stdout.write(`${hashSecret(secret)}\n`)
      return
    }
    case 'demo-reset':
      process.stdout.write(`removed ${await resetDemoData(loadConfig(configPath(args)), PACKAGE_ROOT)}\n`)
      return
    case 'backup': {
      const parsed = parseBackupArgs(args)
      if (typeof parsed === 'string') throw new UsageError(parsed)
      return backupCommand(storeFiles(args), parsed)
    }
    case 'restore': {
      const parsed = parseRestoreArgs(args)
      if (typeof parsed === 'string') throw new UsageError(parsed)
      return restoreCommand(storeFiles(args), parsed)
    }
    case 'schema':
      process.stdout.write(`${JSON.stringify(jsonSchema(), null, 2)}\n`)
      return
    case '--help':
    case 'help':
      process.stdout.write(USAGE)
      return
    case undefined:
      throw new UsageError('no command given')
    default:
      throw new UsageError(`unknown command "${command}"`)
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof UsageError) {
    process.stderr.write(`storeguard: ${err.message}\n\n${USAGE}`)
    process.exit(2)
  }
  // an error may quote a URL from the config (a robot's access_token, a relay's password): blank those
  if (isStoreGuardError(err)) {
    process.stderr.write(`storeguard: ${redactUrls(err.message)}\n`)
    process.exit(1)
  }
  process.stderr.write(`storeguard: ${redactUrls(err instanceof Error ? (err.stack ?? err.message) : String(err))}\n`)
  process.exit(1)
})
