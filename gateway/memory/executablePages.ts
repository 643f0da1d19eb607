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

function parseSmaps(smaps: string): Mapping[] {
  const mappings: Mapping[] = []
  let current: Mapping | null = null
  for (const line of smaps.split('\n')) {
    const header = HEADER.exec(line)
    if (header) {
      current = {
        start: Number.parseInt(header[1] ?? '', 16),
        end: Number.parseInt(header[2] ?? '', 16),
        perms: header[3] ?? '',
        path: header[4] ?? '',
        kb: new Map(),
      }
      mappings.push(current)
      continue
    }
    const field = FIELD.exec(line)
    if (field && current) current.kb.set(field[1] ?? '', Number(field[2]))
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
  return parseSmaps(smaps)
    .filter(
      (m) =>
        m.path === executable &&
        m.perms[0] === 'r' &&
        m.perms[1] === '-' &&
        m.perms[3] === 'p' &&
        m.kb.get('Anonymous') === 0 &&
        m.kb.get('Swap') === 0 &&
        m.kb.get('Private_Dirty') === 0,
    )
    .map((m) => ({ start: m.start, length: m.end - m.start }))
}
