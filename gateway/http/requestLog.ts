import { type FastifyReply, type FastifyRequest, LogController } from 'fastify'

/**
 * Fastify's per-request lines, replaced: nothing on arrival, one debug line
 * on completion with method, route, status and time, never headers or the
 * full URL. Its error lines (stream, serializer, writeHead) stay on.
 * docs/requirements.md#security: secrets never logged.
 */
export class RequestLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const data = {
      method: request.method,
      route: request.routeOptions.url,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
    }
    if (error) request.log.warn({ ...data, err: error }, 'response failed')
    else request.log.debug(data, 'request done')
  }
}
