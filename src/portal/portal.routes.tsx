import type { FastifyInstance } from 'fastify'
import { portalHomeOf, regionAgenciesOf, regionRulesOf, regionStatutoryOf } from './sections.service.ts'
import { HomePage } from './portal.views.tsx'
import { RegionApplyPage, RegionGuidePage, RegionRulesPage, RegionStatutoryPage } from './sections.views.tsx'
import { pageContext } from '../web/request-context.ts'

// The portal's home and the region's pages behind its entry points (政府信息公开指南、制度、
// 法定主动公开内容、依申请公开); 主动公开目录 is /catalogue and 年报 /reports.

export function portalRoutes(app: FastifyInstance): void {
  // Read at start: the reference endpoint of the benchmarks does no I/O per request (issue #2).
  const health = { status: 'ok', database: app.deps.kind, schemaVersion: app.deps.schemaVersion }
  app.get('/healthz', async () => health)
  const deps = app.deps

  app.get('/', async (request, reply) => {
    const home = await portalHomeOf(deps)
    return reply.page(200, <HomePage ctx={pageContext(request)} {...home} />)
  })

  app.get('/guide', async (request, reply) => {
    const agencies = await regionAgenciesOf(deps)
    return reply.page(200, <RegionGuidePage ctx={pageContext(request)} agencies={agencies} />)
  })

  app.get('/rules', async (request, reply) => {
    const sections = await regionRulesOf(deps)
    return reply.page(200, <RegionRulesPage ctx={pageContext(request)} sections={sections} />)
  })

  app.get('/statutory', async (request, reply) => {
    const statutory = await regionStatutoryOf(deps)
    return reply.page(200, <RegionStatutoryPage ctx={pageContext(request)} {...statutory} />)
  })

  app.get('/apply', async (request, reply) => {
    const agencies = await regionAgenciesOf(deps)
    return reply.page(200, <RegionApplyPage ctx={pageContext(request)} agencies={agencies} />)
  })
}
