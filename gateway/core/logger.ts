/**
 * The logger contract for every module: devices/ and rules/ take this type,
 * gateway/log.ts builds the pino instance (docs/design.md#one-way-imports).
 */
export type { Logger } from 'pino'
