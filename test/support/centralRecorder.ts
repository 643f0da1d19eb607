import type { MqttClient } from 'mqtt'

export interface CentralMessage {
  readonly topic: string
  readonly payload: string
  readonly retain: boolean
  /** The bridge's deduplication id; null for payloads that are not JSON objects. */
  readonly msgId: string | null
  // biome-ignore lint/suspicious/noExplicitAny: system tests read event JSON as it comes off the wire
  readonly json: any
}

/**
 * What a central consumer sees, raw and deduplicated by `msgId` the way a
 * central application would (docs/requirements.md#upstream-bridge: exactly once after deduplication).
 */
export function recordCentral(client: MqttClient) {
  const all: CentralMessage[] = []
  client.on('message', (topic, payload, packet) => {
    const text = payload.toString()
    let json: unknown = null
    try {
      json = text.startsWith('{') ? JSON.parse(text) : null
    } catch {}
    const msgId = typeof (json as { msgId?: unknown })?.msgId === 'string' ? (json as { msgId: string }).msgId : null
    all.push({ topic, payload: text, retain: packet.retain, msgId, json })
  })
  const unique = (): CentralMessage[] => {
    const seen = new Set<string>()
    return all.filter((m) => {
      if (m.msgId === null) return true
      if (seen.has(m.msgId)) return false
      seen.add(m.msgId)
      return true
    })
  }
  return {
    all,
    unique,
    /** Events of `store` after deduplication, optionally of one type. */
    // biome-ignore lint/suspicious/noExplicitAny: system tests read event JSON as it comes off the wire
    events: (store: string, type?: string): any[] =>
      unique()
        .filter((m) => m.topic === `storeguard/${store}/events`)
        .map((m) => m.json)
        .filter((e) => type === undefined || e?.type === type),
  }
}

export type CentralRecording = ReturnType<typeof recordCentral>

/** `alarm raised <id> <at>`: one line per alarm event; the same event twice is the same line. */
export function alarmEventKey(e: { action: string; at: string; alarm: { id: string } }): string {
  return `alarm ${e.action} ${e.alarm.id} ${e.at}`
}
