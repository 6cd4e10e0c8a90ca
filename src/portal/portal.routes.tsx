import type { FastifyInstance } from 'fastify'
import { portalAgencies } from './portal.service.ts'
import { HomePage } from './portal.views.tsx'
import { pageContext } from '../web/request-context.ts'

export function portalRoutes(app: FastifyInstance): void {
  // Read at start: the reference endpoint of the benchmarks does no I/O per request (issue #2).
  const health = { status: 'ok', database: app.deps.kind, schemaVersion: app.deps.schemaVersion }
  app.get('/healthz', async () => health)

  app.get('/', async (request, reply) => {
    const agencies = await portalAgencies(app.deps)
    return reply.page(200, <HomePage ctx={pageContext(request)} agencies={agencies} />)
  })
}
