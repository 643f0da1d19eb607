/** `['devices', 3, 'mqtt', 'topic']` → `devices[3].mqtt.topic`, the form config errors use. */
export function formatPath(segments: readonly (string | number)[]): string {
  return segments.reduce<string>(
    (out, s) => (typeof s === 'number' ? `${out}[${s}]` : out === '' ? s : `${out}.${s}`),
    '',
  )
}
