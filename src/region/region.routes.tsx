import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { downloadDisposition } from '../files/file-store.ts'
import { bulkExportAgencies, startJob } from '../jobs/jobs.ts'
import {
  agencyCountOf,
  overviewColumns,
  regionReportDue,
  sortedOverview,
  tableCsv,
  tableXlsx,
} from './region.service.ts'
import type { OverviewQuery } from './region.service.ts'
import { RegionOverviewPage } from './region.views.tsx'
import { pageContext, staffActor } from '../web/request-context.ts'

// The supervising office's overview of every agency, sortable and filterable, every figure
// exportable to CSV and XLSX (issue #6). Links lead to the queues, column health and reports.

const query = z.object({
  sort: z.enum(overviewColumns.map((c) => c.key) as [string, ...string[]]).catch('name'),
  dir: z.enum(['asc', 'desc']).catch('asc'),
  only: z.enum(['all', 'problems']).catch('all'),
})
const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
const typeOf = { csv: 'text/csv; charset=utf-8', xlsx: xlsxType } as const

export function regionRoutes(app: FastifyInstance): void {
  const deps = app.deps

  const exportFile = async (q: OverviewQuery, ext: 'csv' | 'xlsx') => {
    const { header, rows } = await sortedOverview(deps, q)
    const bytes = ext === 'csv' ? Buffer.from(tableCsv(header, rows)) : await tableXlsx('区域概况', header, rows)
    return { rows: rows.length, file: { name: `区域概况.${ext}`, type: typeOf[ext], bytes } }
  }

  app.get('/console/region', async (request, reply) => {
    const q = query.parse(request.query)
    const { states } = await sortedOverview(deps, q)
    const due = await regionReportDue(deps)
    return reply.page(200, <RegionOverviewPage ctx={pageContext(request)} q={q} states={states} regionReport={due} />)
  })

  app.get('/console/region/export.:ext', async (request, reply) => {
    const { ext } = z.object({ ext: z.enum(['csv', 'xlsx']) }).parse(request.params)
    const q = query.parse(request.query)
    // A large region's export is a job: its page shows the progress and offers the file at the end.
    const agencyCount = await agencyCountOf(deps)
    if (agencyCount > bulkExportAgencies) {
      const title = `导出区域概况（${ext.toUpperCase()}，${agencyCount} 个机关）`
      const id = await startJob(deps, staffActor(request), 'region.export', title, agencyCount, async () => {
        const { rows, file } = await exportFile(q, ext)
        return { message: `已导出 ${rows} 个机关。`, file }
      })
      return reply.redirect(`/console/jobs/${id}`, 303)
    }
    const { file } = await exportFile(q, ext)
    const body = ext === 'csv' ? file.bytes.toString('utf8') : file.bytes
    return reply.type(file.type).header('content-disposition', downloadDisposition(file.name)).send(body)
  })
}
