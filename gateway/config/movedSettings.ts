/**
 * Settings that moved to another place in the config file: an old config
 * is refused with the new place named, rather than with a bare "not a known
 * setting" (docs/design.md#boundaries-never-throw: one error a person can fix).
 */
const MOVED: Readonly<Record<string, string>> = {
  'rules.fire.sirens': 'outputs.fire.sirens',
  'rules.fire.strobes': 'outputs.fire.strobes',
}

/** The message for an unknown setting at `path` (`rules.fire.sirens`), naming its new place if it moved. */
export function unknownSettingMessage(path: string): string {
  const to = MOVED[path]
  return to === undefined ? 'is not a known setting' : `has moved: set it as ${to}`
}
