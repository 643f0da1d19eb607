import { join } from 'node:path'
import { type PtyPair, startSocatPtyPair } from '../../devices/modbus/sim/socatPtyPair.js'

export type { PtyPair }

/**
 * A socat pty pair linked at `<dir>/pty-a` and `<dir>/pty-b` (Debian package
 * socat). Starting it again on the same `dir` after stop() links the same
 * paths to new ptys: a serial adapter unplugged and plugged back in.
 */
export function startPtyPair(dir: string, timeoutMs = 15_000): Promise<PtyPair> {
  return startSocatPtyPair({ a: join(dir, 'pty-a'), b: join(dir, 'pty-b'), timeoutMs })
}
