import type { MqttBus } from '../bus/mqttBus.js'
import { isOpenTicket, type Ticket } from '../core/ticket.js'
import type { ReportPublisher } from './preOpeningReport.js'
import type { TicketPublisher } from './ticketService.js'

/**
 * MQTT out for tickets (docs/requirements.md#mqtt-topics): retained `tickets/<id>` while the ticket waits
 * for a repair (an empty retained payload removes it once resolved or
 * cancelled), every change on `events`; and the pre-opening report retained
 * on `reports/pre-opening`, so a manager's app opened later still gets it.
 */
export function createMqttTicketPublisher(bus: Pick<MqttBus, 'publish'>, topicPrefix: string) {
  const retained = (topic: string, doc: object | null) =>
    bus.publish(`${topicPrefix}/${topic}`, doc === null ? '' : JSON.stringify(doc), { retain: true, qos: 1 })
  const event = (doc: object) => bus.publish(`${topicPrefix}/events`, JSON.stringify(doc), { qos: 1 })

  const retainTicket = (ticket: Ticket) => retained(`tickets/${ticket.id}`, isOpenTicket(ticket.status) ? ticket : null)

  const tickets: TicketPublisher = {
    retainTicket,
    ticketChanged(e) {
      retainTicket(e.ticket)
      event(e)
    },
  }
  const reports: ReportPublisher = {
    report(e) {
      retained('reports/pre-opening', e.report)
      event(e)
    },
  }
  return { tickets, reports }
}
