import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { formatShanghai } from '../clock.ts'
import { AppError } from '../errors.ts'
import { contentDisposition, exportKinds, exportReport } from '../reports/render/report-export.ts'
import { ReportBody, reportTitle } from '../reports/render/report-html.tsx'
import { findReportById, listPublishedReports } from '../reports/report.store.ts'
import { Downloads } from '../reports/report.views.tsx'
import { Notice } from '../web/form.tsx'
import { PortalLayout } from '../web/layout.tsx'
import { pageContext } from '../web/request-context.ts'

// The portal's 年度报告 column: every published report of the region, corrected versions with
// their history. Only published (and superseded) versions are ever served here.

const idParam = z.object({ id: z.coerce.number().int().positive() })
const downloadParams = z.object({ id: z.coerce.number().int().positive(), kind: z.enum(exportKinds) })

export function portalReportRoutes(app: FastifyInstance): void {
  const deps = app.deps
  const published = async (id: number) => {
    const stored = await findReportById(deps.db, id)
    if (!stored || (stored.status !== 'published' && stored.status !== 'superseded'))
      throw new AppError('not_found', '年度报告不存在')
    return stored
  }

  app.get('/reports', async (request, reply) => {
    const reports = await listPublishedReports(deps.db)
    return reply.page(
      200,
      <PortalLayout ctx={pageContext(request)} title="政府信息公开工作年度报告">
        <h1>政府信息公开工作年度报告</h1>
        {reports.length === 0 ? (
          <p>暂无已发布的年度报告。</p>
        ) : (
          <ul class="report-list">
            {reports.map((r) => (
              <li>
                <a href={`/reports/${r.id}`}>{reportTitle(r.report)}</a>{' '}
                <span class="hint">
                  {r.agency_name}，{r.published_at && formatShanghai(r.published_at).slice(0, 10)} 发布
                  {r.status === 'superseded'
                    ? '（已被更正版本取代）'
                    : r.version > 1
                      ? `（第 ${r.version} 版，更正）`
                      : ''}
                </span>
              </li>
            ))}
          </ul>
        )}
      </PortalLayout>,
    )
  })

  app.get('/reports/:id', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    const stored = await published(id)
    return reply.page(
      200,
      <PortalLayout ctx={pageContext(request)} title={reportTitle(stored.report)}>
        {stored.status === 'superseded' && (
          <Notice kind="warn">本版本已被更正版本取代，请查阅“年度报告”栏目中的最新版本。</Notice>
        )}
        {stored.version > 1 && stored.supersedes_id && (
          <Notice>
            本报告为第 {stored.version} 版（更正版本），<a href={`/reports/${stored.supersedes_id}`}>查看此前版本</a>。
          </Notice>
        )}
        <ReportBody report={stored.report} />
        <Downloads base={`/reports/${stored.id}`} />
      </PortalLayout>,
    )
  })

  app.get('/reports/:id/download/:kind', async (request, reply) => {
    const { id, kind } = downloadParams.parse(request.params)
    const stored = await published(id)
    const file = await exportReport(stored.report, kind)
    return reply
      .header('content-type', file.type)
      .header('content-disposition', contentDisposition(file.fileName))
      .send(file.body)
  })
}
