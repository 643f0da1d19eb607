import type { GatewayEvent } from '../core/events.js'

/** Dedup subject of an event: the alarm, ticket or notice it is about. */
export function subjectOf(event: GatewayEvent): string {
  switch (event.type) {
    case 'alarm':
      return event.alarm.id
    case 'ticket':
      return `ticket:${event.ticket.id}${event.fraction === undefined ? '' : `:${event.fraction}`}`
    case 'notice':
      return `notice:${event.notice.id}:${event.at}`
    case 'report':
      return `report:${event.kind}:${event.report.openingAt}`
    default:
      return `${event.type}:${'at' in event ? event.at : ''}`
  }
}
