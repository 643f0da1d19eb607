import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

/**
 * Stands in for systemd's notification socket: receives each sd_notify
 * datagram and prints it as one JSON line. Node has no unix datagram
 * sockets, and socat keeps the descriptor systemd-notify's barrier hands
 * over open, so systemd-notify would wait 5 s for every message: Python
 * receives it and closes the descriptor, as systemd does, which releases the
 * barrier at once.
 */
const RECEIVER = `
import json, os, socket, sys, time
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind(sys.argv[1])
print("listening", flush=True)
while True:
    data, ancdata, _flags, _addr = sock.recvmsg(65536, socket.CMSG_SPACE(16 * 4))
    for level, kind, payload in ancdata:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            for i in range(0, len(payload) - len(payload) % 4, 4):
                os.close(int.from_bytes(payload[i:i + 4], sys.byteorder))
    print(json.dumps({"at": time.time() * 1000, "fields": data.decode().split("\\n")}), flush=True)
`

export interface Notification {
  /** Wall-clock ms when the datagram arrived. */
  readonly at: number
  /** Its KEY=VALUE lines, e.g. ['READY=1', 'STATUS=…']. */
  readonly fields: readonly string[]
}

export interface NotifySocket {
  /** The socket path, for NOTIFY_SOCKET. */
  readonly path: string
  /** Every message received so far, barrier messages (BARRIER=1) left out. */
  readonly received: Notification[]
  close(): Promise<void>
}

/** Listens on `<dir>/notify.sock` and resolves once the socket is bound. */
export async function listenForNotifications(dir: string): Promise<NotifySocket> {
  const path = join(dir, 'notify.sock')
  const proc: ChildProcess = spawn('python3', ['-c', RECEIVER, path], { stdio: ['ignore', 'pipe', 'inherit'] })
  const received: Notification[] = []
  await new Promise<void>((resolve, reject) => {
    proc.once('error', reject)
    proc.once('exit', (code) => reject(new Error(`notification receiver exited (${code})`)))
    createInterface({ input: proc.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      if (line === 'listening') return resolve()
      const message = JSON.parse(line) as Notification
      if (!message.fields.includes('BARRIER=1')) received.push(message)
    })
  })
  if (!existsSync(path)) throw new Error(`no socket at ${path}`)
  return {
    path,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve()
        proc.once('exit', () => resolve())
        proc.kill('SIGTERM')
      }),
  }
}
