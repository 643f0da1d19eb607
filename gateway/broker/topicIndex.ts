import { compileTopicFilter } from './topicFilter.js'

/**
 * Topic filters → values, asked "which values match this topic?" once per
 * message. Filters without wildcards (a zigbee2mqtt device's own topic, by
 * far the most) are one Map look-up; only wildcard filters are tried one by
 * one, each compiled once (see `compileTopicFilter`).
 */
export class TopicIndex<T> {
  readonly #exact = new Map<string, T>()
  readonly #wildcard = new Map<string, { readonly matches: (topic: string) => boolean; readonly value: T }>()

  set(filter: string, value: T): void {
    this.delete(filter)
    if (filter.includes('+') || filter.includes('#')) {
      this.#wildcard.set(filter, { matches: compileTopicFilter(filter), value })
    } else {
      this.#exact.set(filter, value)
    }
  }

  delete(filter: string): void {
    this.#exact.delete(filter)
    this.#wildcard.delete(filter)
  }

  /** The values of every filter matching `topic`, each value once, exact match first. */
  match(topic: string): T[] {
    const found: T[] = []
    const exact = this.#exact.get(topic)
    if (exact !== undefined) found.push(exact)
    for (const { matches, value } of this.#wildcard.values()) {
      if (matches(topic) && !found.includes(value)) found.push(value)
    }
    return found
  }
}
