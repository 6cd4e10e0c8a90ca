import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { contentDisposition, exportKinds } from '../reports/render/report-export.ts'
import { publicReportsOf, publishedReportOf } from './portal.service.ts'
import { publicReportDownload } from './report-downloads.ts'
import { PublicReportPage, PublicReportsPage } from './reports.views.tsx'
import { pageContext } from '../web/request-context.ts'

// The portal's 年度报告 column: every published report of the region, corrected versions with
// their history. Only published (and superseded) versions are ever served here.

const idParam = z.object({ id: z.coerce.number().int().positive() })
const downloadParams = z.object({ id: z.coerce.number().int().positive(), kind: z.enum(exportKinds) })

export function portalReportRoutes(app: FastifyInstance): void {
  const deps = app.deps

  app.get('/reports', async (request, reply) => {
    const reports = await publicReportsOf(deps)
    return reply.page(200, <PublicReportsPage ctx={pageContext(request)} reports={reports} />)
  })

  app.get('/reports/:id', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    const stored = await publishedReportOf(deps, id)
    return reply.page(200, <PublicReportPage ctx={pageContext(request)} stored={stored} />)
  })

  app.get('/reports/:id/download/:kind', async (request, reply) => {
    const { id, kind } = downloadParams.parse(request.params)
    const { file, kept } = await publicReportDownload(deps, id, kind)
    if (kept) reply.header('x-cache', 'hit')
    return reply
      .header('content-type', file.type)
      .header('content-disposition', contentDisposition(file.fileName))
      .send(file.body)
  })
}
