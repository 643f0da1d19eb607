/** What a redacted value is replaced with, in log lines and error messages. */
export const REDACTED = '[redacted]'

/**
 * The one list of words that make a setting or a logged field secret: a key
 * is secret when its name, lower-cased and without `-`/`_`, contains one of
 * them (`password`, `brokerPassword`, `passwordHash`, `accessToken`,
 * `X-Api-Key`, `Authorization`, `tokens`…), at any depth. Bare `key` is not
 * here: alarm keys (`fire:hall`) are logged everywhere and are no secret.
 */
export const SECRET_KEY_WORDS = [
  'password',
  'passwd',
  'passphrase',
  'secret',
  'token',
  'apikey',
  'accesskey',
  'privatekey',
  'authorization',
  'cookie',
  'credential',
] as const

/**
 * Query parameters that carry a secret besides those named by
 * {@link SECRET_KEY_WORDS}: WeCom's robot `key`, DingTalk's `sign`, and the
 * `p` (password) the InfluxDB 1.x API takes.
 */
const SECRET_QUERY_PARAMS: ReadonlySet<string> = new Set(['key', 'sign', 'signature', 'sig', 'p', 'pwd', 'auth'])

/** Secrets shorter than this are not searched for as text: they would blank out ordinary words. */
const MIN_LITERAL_LENGTH = 4

/** Deeper than this, a logged value is cut: log data is never that deep on purpose. */
const MAX_DEPTH = 32

function normalized(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '')
}

/** True for a setting or log field whose value is a secret. */
export function isSecretKey(name: string): boolean {
  const n = normalized(name)
  return SECRET_KEY_WORDS.some((word) => n.includes(word))
}

function isSecretQueryParam(name: string): boolean {
  return isSecretKey(name) || SECRET_QUERY_PARAMS.has(normalized(name))
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

// `scheme://user:password@` (SMTP relays, InfluxDB, MQTT brokers)
const USER_INFO = /([a-z][a-z0-9+.-]*:\/\/[^\s/?#@:"'\\]*):([^\s/?#@"'\\]+)@/gi
// `?access_token=…`, `&key=…`; stops at a quote or backslash so a JSON line stays valid
const QUERY_PARAM = /([?&;])([^=&#\s"'\\?]+)=([^&#\s"'\\]*)/g
// Feishu / Lark robots carry their token in the path: `/open-apis/bot/v2/hook/<token>`
const HOOK_PATH = /(\/hooks?\/)[^/?#\s"'\\]+/gi

/**
 * Blanks the secrets a URL can carry wherever one appears in `text`: the
 * password in its user info, secret query parameters and a robot's hook token.
 */
export function redactUrls(text: string): string {
  return text
    .replace(USER_INFO, `$1:${REDACTED}@`)
    .replace(QUERY_PARAM, (whole, sep: string, name: string, value: string) =>
      value !== '' && isSecretQueryParam(safeDecode(name)) ? `${sep}${name}=${REDACTED}` : whole,
    )
    .replace(HOOK_PATH, `$1${REDACTED}`)
}

/**
 * A copy of a parsed JSON value with every field named by {@link isSecretKey}
 * blanked, at any depth and inside arrays; past {@link MAX_DEPTH} it is cut.
 */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value
  if (depth > MAX_DEPTH) return '[too deep]'
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, depth + 1))
  const copy: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) {
    copy[k] = isSecretKey(k) && v !== null && v !== '' ? REDACTED : redactSecrets(v, depth + 1)
  }
  return copy
}

/**
 * The secret strings of a loaded config, to blank wherever they show up in a
 * log line (an error echoing a request, a vendor reply quoting a key): every
 * string under a secret key, and the secret parts of every URL.
 */
export function secretValues(config: unknown): string[] {
  const found = new Set<string>()
  const add = (text: string) => {
    if (text.length >= MIN_LITERAL_LENGTH) found.add(text)
  }
  const visit = (value: unknown, secret: boolean): void => {
    if (typeof value === 'string') {
      if (secret) add(value)
      for (const part of urlSecrets(value)) add(part)
    } else if (Array.isArray(value)) {
      for (const v of value) visit(v, secret)
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) visit(v, secret || isSecretKey(k))
    }
  }
  visit(config, false)
  return [...found]
}

function urlSecrets(text: string): string[] {
  if (!text.includes('://')) return []
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return []
  }
  const parts = [url.password, safeDecode(url.password)]
  for (const [name, value] of url.searchParams)
    if (isSecretQueryParam(name)) parts.push(value, encodeURIComponent(value))
  const hook = /\/hooks?\/([^/]+)/i.exec(url.pathname)?.[1]
  if (hook !== undefined) parts.push(hook)
  return parts
}

/**
 * A function that blanks `secrets` (as written and as JSON escapes them) and
 * URL secrets in a finished log line or message.
 */
export function createTextRedactor(secrets: readonly string[] = []): (text: string) => string {
  // `secrets` may grow (a config reload adds the new file's): the forms follow its length
  let forms: string[] = []
  let formsOf = -1
  return (text) => {
    if (formsOf !== secrets.length) {
      forms = redactedForms(secrets)
      formsOf = secrets.length
    }
    let out = text
    for (const form of forms) if (out.includes(form)) out = out.split(form).join(REDACTED)
    return redactUrls(out)
  }
}

function redactedForms(secrets: readonly string[]): string[] {
  return (
    [...new Set(secrets.flatMap((s) => [s, JSON.stringify(s).slice(1, -1)]))]
      .filter((s) => s.length >= MIN_LITERAL_LENGTH)
      // longest first, so a secret that contains another is blanked whole
      .sort((a, b) => b.length - a.length)
  )
}

/**
 * What the logger does to each finished JSON line: blanks secret-bearing
 * fields at any depth (only when a secret word occurs at all, so ordinary
 * lines are not re-encoded), then the text secrets of {@link createTextRedactor}.
 */
export function createLineRedactor(secrets: readonly string[] = []): (line: string) => string {
  const redactText = createTextRedactor(secrets)
  return (line) => redactText(mentionsSecretKey(line) ? redactFieldsOfLine(line) : line)
}

function mentionsSecretKey(line: string): boolean {
  const n = line.toLowerCase().replace(/[-_]/g, '')
  return SECRET_KEY_WORDS.some((word) => n.includes(word))
}

function redactFieldsOfLine(line: string): string {
  let parsed: unknown
  try {
    parsed = JSON.parse(line)
  } catch {
    return line
  }
  const end = line.endsWith('\n') ? '\n' : ''
  return `${JSON.stringify(redactSecrets(parsed))}${end}`
}
