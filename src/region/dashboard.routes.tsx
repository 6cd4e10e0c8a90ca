import type { FastifyInstance, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { formatShanghai } from '../clock.ts'
import { dashboard } from './dashboard.ts'
import { DashboardPage } from './dashboard.views.tsx'
import { pageContext, requireStaff } from '../web/request-context.ts'

// The dashboard page: an agency's own for its staff, the region's for the supervising office.

export function dashboardRoutes(app: FastifyInstance): void {
  const deps = app.deps
  const yearOf = (request: FastifyRequest) => {
    const thisYear = Number(formatShanghai(deps.clock.now().toISOString()).slice(0, 4))
    const year = (request.query as Record<string, string>).year
    return z.coerce.number().int().min(2019).max(thisYear).catch(thisYear).parse(year)
  }

  app.get('/console/dashboard', async (request, reply) => {
    const year = yearOf(request)
    const charts = await dashboard(deps, year, requireStaff(request).agencyId)
    const view = { title: '数据看板', year, charts, action: '/console/dashboard' }
    return reply.page(200, <DashboardPage ctx={pageContext(request)} {...view} />)
  })

  app.get('/console/region/dashboard', async (request, reply) => {
    const year = yearOf(request)
    const charts = await dashboard(deps, year)
    const view = { title: '区域数据看板', year, charts, action: '/console/region/dashboard' }
    return reply.page(200, <DashboardPage ctx={pageContext(request)} {...view} />)
  })
}
