/** One range of the address space, in bytes. */
export interface AddressRange {
  readonly start: number
  readonly length: number
}

interface Mapping {
  readonly start: number
  readonly end: number
  readonly perms: string
  readonly path: string
  /** The smaps fields of the mapping, kB: Anonymous, Swap, Private_Dirty… */
  readonly kb: Map<string, number>
}

const HEADER = /^([0-9a-f]+)-([0-9a-f]+) ([-r][-w][-x][ps]) [0-9a-f]+ \S+ \d+\s*(.*)$/
const FIELD = /^([A-Z][A-Za-z_]*):\s+(\d+) kB$/

/** The mappings of `path` in a smaps text, with their fields; others are skipped without a regex. */
function mappingsOf(smaps: string, path: string): Mapping[] {
  const mappings: Mapping[] = []
  let current: Mapping | null = null
  for (const line of smaps.split('\n')) {
    const first = line.charCodeAt(0)
    // a field line starts with a capital letter (`Rss:`, `VmFlags:`), a mapping with a hex address
    if (first >= 65 && first <= 90) {
      if (current === null) continue
      const field = FIELD.exec(line)
      if (field) current.kb.set(field[1] ?? '', Number(field[2]))
      continue
    }
    current = null
    if (!line.endsWith(path)) continue
    const header = HEADER.exec(line)
    if (header === null || header[4] !== path) continue
    current = {
      start: Number.parseInt(header[1] ?? '', 16),
      end: Number.parseInt(header[2] ?? '', 16),
      perms: header[3] ?? '',
      path,
      kb: new Map(),
    }
    mappings.push(current)
  }
  return mappings
}

/**
 * The mappings of the node executable (`executable`, its real path) whose
 * resident pages can be dropped without losing a byte: readable, not writable,
 * private, and without a page of their own — no anonymous (copy-on-write)
 * page, nothing swapped, nothing dirty. The relocation-only mapping the loader
 * wrote and then made read-only (RELRO) has such pages and is left alone: a
 * dropped page of it would come back from the file, unrelocated. A field
 * missing from the text counts as a page of its own.
 *
 * Every page of a range returned is a clean copy of the file, still in the
 * page cache after the drop: the next touch maps it again (a minor fault),
 * so what the gateway still uses comes back and what only the start used does not.
 */
export function droppableExecutableRanges(smaps: string, executable: string): AddressRange[] {
  return mappingsOf(smaps, executable)
    .filter(
      (m) =>
        m.perms[0] === 'r' &&
        m.perms[1] === '-' &&
        m.perms[3] === 'p' &&
        m.kb.get('Anonymous') === 0 &&
        m.kb.get('Swap') === 0 &&
        m.kb.get('Private_Dirty') === 0,
    )
    .map((m) => ({ start: m.start, length: m.end - m.start }))
}
