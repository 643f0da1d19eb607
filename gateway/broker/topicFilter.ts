/**
 * MQTT 3.1.1 topic-filter arithmetic (§4.7), pure. The broker ACL needs two
 * questions answered exactly: does a filter match a topic, and does one
 * filter match every topic another can (so a consumer allowed `a/+/b` cannot
 * widen itself to `a/#`).
 */

/** `+` matches one level, `#` the rest (including the parent level). */
const ONE = '+'
const ALL = '#'

/**
 * A filter is well formed when `#` is alone and last and `+` fills a whole
 * level [MQTT-4.7.1-2], [MQTT-4.7.1-3], and it has no NUL [MQTT-4.7.3-2].
 */
export function isValidTopicFilter(filter: string): boolean {
  if (filter.length === 0 || filter.includes('\u0000')) return false
  const levels = filter.split('/')
  return levels.every((level, i) => {
    if (level.includes(ALL)) return level === ALL && i === levels.length - 1
    return !level.includes(ONE) || level === ONE
  })
}

/** [MQTT-4.7.2-1]: a filter starting with a wildcard does not match topics starting with `$`. */
function isDollar(level: string | undefined): boolean {
  return level?.startsWith('$') === true
}

/**
 * True when `filter` matches the concrete `topic`. Malformed filters match
 * nothing, so a typo in the config can only deny, never grant.
 */
export function topicMatches(filter: string, topic: string): boolean {
  return compileTopicFilter(filter)(topic)
}

/**
 * `topicMatches` with the filter checked and split once: the hot path asks
 * the same filters about every message (ACLs, the external bus), and
 * splitting and validating them each time was most of the gateway's CPU at
 * ten thousand messages a second. A filter without wildcards is a string
 * comparison.
 */
export function compileTopicFilter(filter: string): (topic: string) => boolean {
  if (!isValidTopicFilter(filter)) return () => false
  if (!filter.includes(ONE) && !filter.includes(ALL)) return (topic) => topic === filter
  const f = filter.split('/')
  return (topic) => matchLevels(f, topic.split('/'))
}

function matchLevels(f: readonly string[], t: readonly string[]): boolean {
  for (let i = 0; i < f.length; i++) {
    const level = f[i]
    if (level === ALL) return !(i === 0 && isDollar(t[0]))
    const actual = t[i]
    if (actual === undefined) return false
    if (level === ONE) {
      if (i === 0 && isDollar(actual)) return false
      continue
    }
    if (level !== actual) return false
  }
  return f.length === t.length
}

/**
 * True when every topic `requested` can match is also matched by `allowed`:
 * the test for granting a SUBSCRIBE. `a/#` covers `a`, `a/+` and `a/b/#`;
 * `a/+` covers `a/b` but not `a/#`; `#` covers `+/x` but not `$SYS/#`.
 * Malformed filters on either side cover nothing.
 */
export function filterCovers(allowed: string, requested: string): boolean {
  if (!isValidTopicFilter(allowed) || !isValidTopicFilter(requested)) return false
  const a = allowed.split('/')
  const r = requested.split('/')
  for (let i = 0; ; i++) {
    const have = a[i]
    const want = r[i]
    // a requested literal `$x` first level is never matched by a wildcard; a
    // requested wildcard first level only matches non-`$` topics anyway.
    if (have === ALL) return !(i === 0 && isDollar(want))
    if (want === undefined || have === undefined) return want === have
    if (want === ALL) return false
    if (have === ONE) {
      if (i === 0 && isDollar(want)) return false
      continue
    }
    if (want === ONE || want !== have) return false
  }
}
