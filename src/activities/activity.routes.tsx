import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { downloadDisposition } from '../files/file-store.ts'
import { largeImport, startJob } from '../jobs/jobs.ts'
import { activityTablesOf } from './activity-list.service.ts'
import { addActivity, importActivities, readActivityFile, recordKinds, templateCsv } from './activity.service.ts'
import { ActivitiesPage } from './activity.views.tsx'
import type { ActivitiesPageOptions } from './activity.views.tsx'
import { pageParam, textFilter } from '../web/pager.tsx'
import { attempt, pageContext, staffActor, requireStaff } from '../web/request-context.ts'

// The agency's article-20 activities: what section 二 of the annual report counts. Each kind has a
// list, a one-record form and an all-or-nothing import with a template to download.

const kindParam = z.object({ kind: z.enum(['powers', 'decisions', 'fees', 'procurement']) })
/** The lists' year and words, and the page of each kind; a year out of range is named, not obeyed. */
const listQuery = z.object({
  year: z.string().optional().catch(undefined),
  q: z
    .unknown()
    .optional()
    .transform((v) => textFilter(v, 50)),
  powers: pageParam,
  decisions: pageParam,
  fees: pageParam,
  procurement: pageParam,
})
type UploadBody = { file?: { filename: string; toBuffer(): Promise<Buffer>; file: { truncated: boolean } } } | undefined

export function activityRoutes(app: FastifyInstance): void {
  const deps = app.deps

  const page = async (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    opts: ActivitiesPageOptions = {},
  ) => {
    const { year: typedYear, q, ...pages } = listQuery.parse(request.query ?? {})
    const year = typedYear?.trim() ? Number(typedYear.trim()) : undefined
    const badYear = year !== undefined && !(Number.isInteger(year) && year >= 2000 && year <= 2100)
    const filter = { year: badYear ? undefined : year, text: q }
    const tables = await activityTablesOf(deps, requireStaff(request).agencyId, filter, pages)
    const problem = badYear
      ? `年份“${typedYear!.trim().slice(0, 10)}”无效，请填写 2000 至 2100 之间的四位年份。`
      : undefined
    return reply.page(
      problem && status === 200 ? 422 : status,
      <ActivitiesPage
        ctx={pageContext(request)}
        tables={tables}
        filter={{ year: typedYear?.trim(), q }}
        filterProblem={problem}
        {...opts}
      />,
    )
  }

  app.get('/console/activities', async (request, reply) => {
    const q = request.query as { imported?: string; added?: string }
    const notice = q.imported ? `已导入 ${Number(q.imported)} 条记录。` : q.added ? '已登记。' : undefined
    return page(request, reply, 200, notice ? { notice } : {})
  })

  app.get('/console/activities/:kind/template.csv', async (request, reply) => {
    const { kind } = kindParam.parse(request.params)
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', downloadDisposition(`${recordKinds[kind].label}模板.csv`))
      .send(templateCsv(kind))
  })

  app.post('/console/activities/:kind', async (request, reply) => {
    const { kind } = kindParam.parse(request.params)
    const body = request.body as Record<string, unknown>
    const cellOf = (c: string) => (typeof body[c] === 'string' ? (body[c] as string).trim() : '')
    const cells = Object.fromEntries(recordKinds[kind].columns.map((c) => [c, cellOf(c)]))
    const r = await attempt(() => addActivity(deps, staffActor(request), kind, cells))
    if (!r.ok) return page(request, reply, 422, { message: r.error.message, kind, values: cells })
    return reply.redirect('/console/activities?added=1', 303)
  })

  app.post('/console/activities/:kind/import', async (request, reply) => {
    const { kind } = kindParam.parse(request.params)
    const file = (request.body as UploadBody)?.file
    if (!file || typeof file.toBuffer !== 'function')
      return page(request, reply, 422, { message: '请选择要导入的文件' })
    const bytes = await file.toBuffer()
    if (file.file.truncated) return page(request, reply, 422, { message: '文件超过 10 MB' })
    const read = await attempt(() => readActivityFile(bytes, file.filename, deps.config.parseLimits))
    if (!read.ok) return page(request, reply, 422, { message: read.error.message })
    const rows = read.value
    // A large file runs as a job with its progress shown (jobs/jobs.ts).
    if (rows.length > largeImport) {
      const title = `导入${recordKinds[kind].label}（${file.filename}，${rows.length} 行）`
      const id = await startJob(
        deps,
        staffActor(request),
        'activities.import',
        title,
        rows.length,
        async (progress) => {
          const n = await importActivities(deps, staffActor(request), kind, rows, progress)
          return `已导入 ${n} 条记录。`
        },
      )
      return reply.redirect(`/console/jobs/${id}`, 303)
    }
    const imported = await attempt(() => importActivities(deps, staffActor(request), kind, rows))
    if (!imported.ok) return page(request, reply, 422, { message: imported.error.message })
    return reply.redirect(`/console/activities?imported=${imported.value}`, 303)
  })
}
