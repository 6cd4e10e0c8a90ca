import { pageParam } from '../web/pager.tsx'
import type { FastifyInstance } from 'fastify'
import { sendTableIfAsked } from '../region/region.service.ts'
import { ownColumnHealth, regionColumnHealth, timelinessOf } from './health.service.ts'
import { ColumnHealthPage, RegionColumnHealthPage, TimelinessPage } from './health.views.tsx'
import { pageContext, requireStaff } from '../web/request-context.ts'

export function healthRoutes(app: FastifyInstance): void {
  const deps = app.deps

  app.get('/console/columns/health', async (request, reply) => {
    const report = await ownColumnHealth(deps, requireStaff(request).agencyId)
    return reply.page(200, <ColumnHealthPage ctx={pageContext(request)} report={report} />)
  })

  // 条例 art. 26: items published more than 20 working days after being made or changed.
  app.get('/console/timeliness', async (request, reply) => {
    const report = await timelinessOf(deps, requireStaff(request).agencyId)
    const page = pageParam.parse((request.query as { page?: unknown } | undefined)?.page)
    return reply.page(200, <TimelinessPage ctx={pageContext(request)} report={report} page={page} />)
  })

  app.get('/console/region/columns', async (request, reply) => {
    const rows = await regionColumnHealth(deps)
    const header = ['机关', '未按期更新', '长期未更新', '空白栏目', '单项否决']
    const table = rows.map(({ agency, report }) => [
      agency.name,
      report.stale,
      report.longStale,
      report.empty,
      report.veto.join('；') || '否',
    ])
    if (await sendTableIfAsked(request, reply, '区域栏目健康', header, table)) return reply
    return reply.page(200, <RegionColumnHealthPage ctx={pageContext(request)} rows={rows} />)
  })
}
