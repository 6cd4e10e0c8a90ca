import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { downloadDisposition } from '../files/file-store.ts'
import { ConsoleLayout } from '../web/layout.tsx'
import { bulkExportAgencies, startJob } from '../jobs/jobs.ts'
import { overviewColumns, regionOverview, tableCsv, tableXlsx } from './region.service.ts'
import type { AgencyState } from './region.service.ts'
import { pageContext, requireStaff } from '../web/request-context.ts'

// The supervising office's overview of every agency, sortable and filterable, every figure
// exportable to CSV and XLSX (issue #6). Links lead to the queues, column health and reports.

const query = z.object({
  sort: z.enum(overviewColumns.map((c) => c.key) as [string, ...string[]]).catch('name'),
  dir: z.enum(['asc', 'desc']).catch('asc'),
  only: z.enum(['all', 'problems']).catch('all'),
})

const hasProblem = (s: AgencyState) =>
  s.overdue > 0 || s.veto.length > 0 || s.reportOnTime === false || s.reportErrors > 0

export function regionRoutes(app: FastifyInstance): void {
  const deps = app.deps

  const rowsFor = async (q: z.infer<typeof query>) => {
    const col = overviewColumns.find((c) => c.key === q.sort)!
    const states = (await regionOverview(deps)).filter((s) => q.only === 'all' || hasProblem(s))
    const sorted = [...states].sort((a, b) => {
      const x = col.value(a)
      const y = col.value(b)
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'zh-CN')
      return q.dir === 'asc' ? c : -c
    })
    return {
      states: sorted,
      header: overviewColumns.map((c) => c.label),
      rows: sorted.map((s) => overviewColumns.map((c) => c.value(s))),
    }
  }

  app.get('/console/region', async (request, reply) => {
    const q = query.parse(request.query)
    const { states } = await rowsFor(q)
    const link = (over: Partial<z.infer<typeof query>>) =>
      `/console/region?${new URLSearchParams({ ...q, ...over }).toString()}`
    return reply.page(
      200,
      <ConsoleLayout ctx={pageContext(request)} title="区域概况">
        <h1>区域概况</h1>
        <p>
          {q.only === 'all' ? (
            <a href={link({ only: 'problems' })}>只看有问题的机关</a>
          ) : (
            <a href={link({ only: 'all' })}>显示全部机关</a>
          )}
          {' · '}
          <a href={`/console/region/export.csv?${new URLSearchParams(q).toString()}`}>导出 CSV</a>
          {' · '}
          <a href={`/console/region/export.xlsx?${new URLSearchParams(q).toString()}`}>导出 XLSX</a>
          {' · '}
          <a href="/console/region/applications">依申请公开</a> · <a href="/console/region/columns">栏目健康</a> ·{' '}
          <a href="/console/region/reports">区域年报汇总</a>
        </p>
        <table class="report-table">
          <caption>各机关状态（{states.length} 个机关；点击列名排序）</caption>
          <thead>
            <tr>
              {overviewColumns.map((c) => (
                <th
                  scope="col"
                  aria-sort={q.sort === c.key ? (q.dir === 'asc' ? 'ascending' : 'descending') : undefined}
                >
                  <a href={link({ sort: c.key, dir: q.sort === c.key && q.dir === 'asc' ? 'desc' : 'asc' })}>
                    {c.label}
                  </a>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {states.map((s) => (
              <tr class={hasProblem(s) ? 'overdue' : undefined}>
                {overviewColumns.map((c, i) => (i === 0 ? <th scope="row">{c.value(s)}</th> : <td>{c.value(s)}</td>))}
              </tr>
            ))}
          </tbody>
        </table>
      </ConsoleLayout>,
    )
  })

  app.get('/console/region/export.:ext', async (request, reply) => {
    const { ext } = z.object({ ext: z.enum(['csv', 'xlsx']) }).parse(request.params)
    const q = query.parse(request.query)
    // A large region's export is a job: its page shows the progress and offers the file at the end.
    const agencyCount = (await deps.db.selectFrom('agencies').select('id').execute()).length
    if (agencyCount > bulkExportAgencies) {
      const actor = { ...request.actor, id: requireStaff(request).id, agencyId: requireStaff(request).agencyId }
      const id = await startJob(
        deps,
        actor,
        'region.export',
        `导出区域概况（${ext.toUpperCase()}，${agencyCount} 个机关）`,
        agencyCount,
        async () => {
          const { header, rows } = await rowsFor(q)
          const bytes = ext === 'csv' ? Buffer.from(tableCsv(header, rows)) : await tableXlsx('区域概况', header, rows)
          return {
            message: `已导出 ${rows.length} 个机关。`,
            file: {
              name: `区域概况.${ext}`,
              type:
                ext === 'csv'
                  ? 'text/csv; charset=utf-8'
                  : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
              bytes,
            },
          }
        },
      )
      return reply.redirect(`/console/jobs/${id}`, 303)
    }
    const { header, rows } = await rowsFor(q)
    if (ext === 'csv')
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', downloadDisposition('区域概况.csv'))
        .send(tableCsv(header, rows))
    return reply
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', downloadDisposition('区域概况.xlsx'))
      .send(await tableXlsx('区域概况', header, rows))
  })
}
