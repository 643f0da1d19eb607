import { readdirSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { countSensorPoints } from './influxCount.js'
import { cpuSecondsOf, ioOf, type Mount, mountOfPath, type ProcIo, type ProcMemory, statusOf } from './procStats.js'
import { startStoreClients } from './storeClients.js'
import { storeConfigYaml, storeDevices } from './storeFleet.js'
import { launchStoreGuard, type StoreGuardContender } from './storeguard.js'

export interface StoreLoadOptions {
  readonly influxUrl: string
  /** Config and data dir go here; it should be on a disk, not tmpfs, for the write figures. */
  readonly workDir: string
  /** Length of the store load, after the idle minute; fractions are fine for a quick check. */
  readonly minutes: number
  /** How long the gateway idles, with no device connected, before the idle RSS is read (60). */
  readonly idleSec: number
  /** Each device's connection drops once per this many seconds (60); 0: never. */
  readonly blipEverySec: number
  readonly readingEverySec: number
}

export interface StoreLoadResult {
  readonly devices: number
  readonly dataDir: string
  readonly mount: Mount | null
  /** The gateway's V8 flags (BENCH_GATEWAY_NODE_ARGS), '' for none. */
  readonly nodeArgs: string
  readonly loadSec: number
  /** RSS and its anonymous part (RssAnon: the process's own, not the mapped node binary), MB. */
  readonly rssIdle: MemoryMb
  readonly rssAfterLogins: MemoryMb
  readonly rssEnd: MemoryMb
  /** The highest RSS sampled (every second) from the first login on, MB. */
  readonly rssLoadPeakMb: number
  /** When that peak was sampled, s from the first login. */
  readonly rssLoadPeakAtSec: number
  /** VmHWM at the end: the highest RSS since the gateway started, start-up included, MB. */
  readonly rssSinceStartPeakMb: number
  readonly loginMs: number
  /** CPU time of the gateway ÷ wall time, % of one core: the idle minute, then the store load. */
  readonly cpuIdlePercent: number
  readonly cpuLoadPercent: number
  readonly reports: { published: number; acked: number; landed: number; logins: number; blips: number }
  /** Block-layer writes (write_bytes of /proc/<pid>/io) during the idle minute and during the load. */
  readonly writeBytesIdle: number
  readonly writeBytesLoad: number
  readonly cancelledWriteBytesLoad: number
  /** Of the load's 10 s slices, how many saw a block-layer write: every slice means writes keep pace with readings. */
  readonly writeSlices: { readonly withWrites: number; readonly total: number }
  /** The slices with writes: seconds from the first login to the slice's end, bytes written in it. */
  readonly writeBursts: readonly { readonly atSec: number; readonly bytes: number }[]
  readonly logBytesLoad: number
  /** Every file in the data dir at the end, bytes. */
  readonly files: readonly { readonly name: string; readonly bytes: number }[]
}

export interface MemoryMb {
  readonly rss: number
  readonly anon: number
}

const MB = 1024 * 1024
const inMb = (m: ProcMemory): MemoryMb => ({ rss: m.rss / MB, anon: m.rssAnon / MB })
const DATABASE = 'store_load'
const SLICE_MS = 10_000
const LOGIN_TIMEOUT_MS = 60_000

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * The store-load scenario (bench/README.md "Store load", the Pi owner's figures): the built
 * gateway on a production-like config with 40 devices that each log in with their own password,
 * report every 5 s and drop their connection once a minute. Reads RSS, CPU time and block-layer
 * writes of the gateway's process from /proc.
 */
export async function runStoreLoad(o: StoreLoadOptions, log: (line: string) => void): Promise<StoreLoadResult> {
  const devices = storeDevices()
  const dataDir = resolve(o.workDir, 'data')
  const mount = mountOfPath(resolve(o.workDir))
  log(`  data dir ${dataDir} on ${mount ? `${mount.device} (${mount.type})` : 'an unknown filesystem'}`)
  if (mount?.type === 'tmpfs' || mount?.type === 'ramfs')
    log('  (on tmpfs nothing reaches a disk: write_bytes stays 0; set BENCH_STORE_DIR to a disk-backed directory)')
  // the idle minute plus one: no supervision alarm before the devices have logged in and reported
  const minHeartbeatSec = o.idleSec + 60
  const config = storeConfigYaml({ influxUrl: o.influxUrl, database: DATABASE, dataDir, devices, minHeartbeatSec })
  const sg = await launchStoreGuard('StoreGuard (store load)', config, o.workDir, null)
  let peak = 0
  let peakAt = performance.now()
  const sampler = setInterval(() => {
    const rss = sg.rss()
    if (rss > peak) {
      peak = rss
      peakAt = performance.now()
    }
  }, 1000)
  try {
    const cpuStart = cpuSecondsOf(sg.pid)
    const ioStart = ioOf(sg.pid)
    await sleep(o.idleSec * 1000)
    const rssIdle = statusOf(sg.pid)
    peak = 0
    const loadStart = performance.now()
    const cpuIdle = cpuSecondsOf(sg.pid) - cpuStart
    log(`  idle ${o.idleSec} s: RSS ${(rssIdle.rss / MB).toFixed(1)} MB (anon ${(rssIdle.rssAnon / MB).toFixed(1)})`)
    const load = await storeLoad(sg, o, devices, log)
    // the peak of the load itself, not of the wait for the last points below
    const loadPeak = peak
    const loadPeakAt = peakAt
    const files = dataFiles(dataDir)
    // the gateway writes every flushMs (1 s by default): let the last reports land before counting
    await sleep(3000)
    const landed = await countSensorPoints(o.influxUrl, DATABASE)
    return {
      devices: devices.length,
      dataDir,
      mount,
      nodeArgs: process.env.BENCH_GATEWAY_NODE_ARGS?.trim() ?? '',
      loadSec: load.sec,
      rssIdle: inMb(rssIdle),
      rssAfterLogins: inMb(load.rssAfterLogins),
      rssEnd: inMb(load.rssEnd),
      rssLoadPeakMb: Math.max(loadPeak, load.rssAfterLogins.rss, load.rssEnd.rss) / MB,
      rssLoadPeakAtSec: (loadPeakAt - loadStart) / 1000,
      rssSinceStartPeakMb: load.rssEnd.rssPeak / MB,
      loginMs: load.loginMs,
      cpuIdlePercent: (cpuIdle / o.idleSec) * 100,
      cpuLoadPercent: (load.cpuSec / load.sec) * 100,
      reports: { ...load.counts, landed },
      writeBytesIdle: load.ioStart.writeBytes - ioStart.writeBytes,
      writeBytesLoad: load.ioEnd.writeBytes - load.ioStart.writeBytes,
      cancelledWriteBytesLoad: load.ioEnd.cancelledWriteBytes - load.ioStart.cancelledWriteBytes,
      writeSlices: load.writeSlices,
      writeBursts: load.writeBursts,
      logBytesLoad: load.logBytes,
      files,
    }
  } finally {
    clearInterval(sampler)
    await sg.stop()
  }
}

/** The load itself: the 40 logins, then reports and blips until `minutes` have passed since the first login began. */
async function storeLoad(
  sg: StoreGuardContender,
  o: StoreLoadOptions,
  devices: ReturnType<typeof storeDevices>,
  log: (line: string) => void,
) {
  const ioStart = ioOf(sg.pid)
  const cpuStart = cpuSecondsOf(sg.pid)
  const logStart = sg.logBytes()
  const t0 = performance.now()
  const clients = startStoreClients(sg.mqttUrl, devices, {
    readingEveryMs: o.readingEverySec * 1000,
    blipEveryMs: o.blipEverySec * 1000,
    sourceAddress: (i) => `127.0.0.${10 + i}`,
  })
  try {
    await withTimeout(
      clients.loggedIn,
      LOGIN_TIMEOUT_MS,
      () => `devices did not all log in: ${JSON.stringify(clients.counts())}`,
    )
    const loginMs = performance.now() - t0
    const rssAfterLogins = statusOf(sg.pid)
    log(`  ${devices.length} logins in ${loginMs.toFixed(0)} ms: RSS ${(rssAfterLogins.rss / MB).toFixed(1)} MB`)
    const endAt = t0 + o.minutes * 60_000
    const writeSlices = { withWrites: 0, total: 0 }
    const writeBursts: { atSec: number; bytes: number }[] = []
    let lastWrite = ioStart.writeBytes
    while (performance.now() < endAt) {
      await sleep(Math.min(SLICE_MS, endAt - performance.now()))
      const now = ioOf(sg.pid).writeBytes
      writeSlices.total++
      if (now > lastWrite) {
        writeSlices.withWrites++
        writeBursts.push({ atSec: Math.round((performance.now() - t0) / 1000), bytes: now - lastWrite })
      }
      lastWrite = now
    }
    const sec = (performance.now() - t0) / 1000
    const cpuSec = cpuSecondsOf(sg.pid) - cpuStart
    const ioEnd: ProcIo = ioOf(sg.pid)
    const rssEnd = statusOf(sg.pid)
    const counts = clients.counts()
    log(
      `  ${(sec / 60).toFixed(1)} min of store load: RSS ${(rssEnd.rss / MB).toFixed(1)} MB, CPU ${((cpuSec / sec) * 100).toFixed(2)} %, ${counts.acked} reports acknowledged, ${counts.blips} blips`,
    )
    return {
      ioStart,
      ioEnd,
      cpuSec,
      sec,
      loginMs,
      rssAfterLogins,
      rssEnd,
      counts,
      writeSlices,
      writeBursts,
      logBytes: sg.logBytes() - logStart,
    }
  } finally {
    await clients.close()
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, why: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(why())), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/** Every file under `dir` with its size, largest first. */
function dataFiles(dir: string): { name: string; bytes: number }[] {
  const files: { name: string; bytes: number }[] = []
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (entry.isFile()) files.push({ name: relative(dir, path), bytes: statSync(path).size })
    }
  }
  walk(dir)
  return files.sort((a, b) => b.bytes - a.bytes)
}
