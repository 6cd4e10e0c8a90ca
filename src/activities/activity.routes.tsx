import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { AppError } from '../errors.ts'
import { downloadDisposition } from '../files/file-store.ts'
import { Csrf, Notice } from '../web/form.tsx'
import { ConsoleLayout } from '../web/layout.tsx'
import { largeImport, startJob } from '../jobs/jobs.ts'
import {
  addActivity,
  importActivities,
  labelOfDecision,
  labelOfPower,
  listActivities,
  readActivityFile,
  recordKinds,
  templateCsv,
} from './activity.service.ts'
import type { RecordKind } from './activity.service.ts'
import { pageContext, staffActor, requireStaff } from '../web/request-context.ts'

// The agency's article-20 activities: what section 二 of the annual report counts. Each kind has a
// list, a one-record form and an all-or-nothing import with a template to download.

const kindParam = z.object({ kind: z.enum(['powers', 'decisions', 'fees', 'procurement']) })
const yuan = (fen: number) => (fen / 100).toFixed(2)

export function activityRoutes(app: FastifyInstance): void {
  const deps = app.deps

  const page = async (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    opts: {
      message?: string
      problems?: string
      notice?: string
      kind?: RecordKind
      values?: Record<string, string>
    } = {},
  ) => {
    const ctx = pageContext(request)
    const all = await listActivities(deps.db, requireStaff(request).agencyId)
    const rows: Record<RecordKind, string[][]> = {
      powers: all.powers.map((p) => [labelOfPower(p.type), p.name, p.valid_from, p.valid_to ?? '']),
      decisions: all.decisions.map((d) => [labelOfDecision(d.kind), d.decided_on, d.matter, String(d.count)]),
      fees: all.fees.map((f) => [f.collected_on, f.item, yuan(Number(f.amount_fen))]),
      procurement: all.procurement.map((p) => [p.contracted_on, p.name, yuan(Number(p.amount_fen))]),
    }
    return reply.page(
      status,
      <ConsoleLayout ctx={ctx} title="第二十条活动记录">
        <h1>第二十条活动记录</h1>
        <p>
          年度报告第二部分“主动公开政府信息情况”由这些记录计算：权责清单事项（按生效、失效日期统计年末数量和增减）、处理决定、行政事业性收费和政府集中采购。
        </p>
        {opts.notice && <Notice>{opts.notice}</Notice>}
        {opts.message && (
          <div class="error-summary" role="alert">
            <h2>未导入</h2>
            <pre class="problems">{opts.message}</pre>
          </div>
        )}
        {(Object.keys(recordKinds) as RecordKind[]).map((kind) => {
          const k = recordKinds[kind]
          const values = opts.kind === kind ? (opts.values ?? {}) : {}
          return (
            <section aria-labelledby={`h-${kind}`}>
              <h2 id={`h-${kind}`}>{k.label}</h2>
              <table>
                <caption>{k.label}（最近 500 条）</caption>
                <thead>
                  <tr>
                    {k.columns.map((c) => (
                      <th scope="col">{c}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {rows[kind].map((r) => (
                    <tr>
                      {r.map((c) => (
                        <td>{c}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
              <form method="post" action={`/console/activities/${kind}`} aria-label={`登记${k.label}`} class="inline">
                <Csrf token={ctx.csrf} />
                {k.columns.map((c, i) => (
                  <span class="field">
                    <label for={`f-${kind}-${i}`}>{c}</label>
                    <input
                      id={`f-${kind}-${i}`}
                      name={c}
                      value={values[c] ?? ''}
                      type={c.endsWith('日期') ? 'date' : 'text'}
                    />
                  </span>
                ))}
                <button type="submit">登记</button>
              </form>
              <form
                method="post"
                action={`/console/activities/${kind}/import`}
                enctype="multipart/form-data"
                aria-label={`导入${k.label}`}
                class="inline"
              >
                <input type="hidden" name="_csrf" value={ctx.csrf} />
                <label for={`file-${kind}`}>从 CSV 或 XLSX 导入（全部正确才导入）</label>
                <input id={`file-${kind}`} name="file" type="file" accept=".csv,.xlsx" />
                <button type="submit">导入</button>
                <a href={`/console/activities/${kind}/template.csv`}>下载模板</a>
              </form>
            </section>
          )
        })}
      </ConsoleLayout>,
    )
  }

  app.get('/console/activities', async (request, reply) => {
    const q = request.query as { imported?: string; added?: string }
    return page(
      request,
      reply,
      200,
      q.imported ? { notice: `已导入 ${Number(q.imported)} 条记录。` } : q.added ? { notice: '已登记。' } : {},
    )
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
    const cells = Object.fromEntries(
      recordKinds[kind].columns.map((c) => [c, typeof body[c] === 'string' ? (body[c] as string).trim() : '']),
    )
    try {
      await addActivity(deps, staffActor(request), kind, cells)
    } catch (e) {
      if (e instanceof AppError && e.code === 'invalid_input')
        return page(request, reply, 422, { message: e.message, kind, values: cells })
      throw e
    }
    return reply.redirect('/console/activities?added=1', 303)
  })

  app.post('/console/activities/:kind/import', async (request, reply) => {
    const { kind } = kindParam.parse(request.params)
    const file = (
      request.body as
        { file?: { filename: string; toBuffer(): Promise<Buffer>; file: { truncated: boolean } } } | undefined
    )?.file
    if (!file || typeof file.toBuffer !== 'function')
      return page(request, reply, 422, { message: '请选择要导入的文件' })
    const bytes = await file.toBuffer()
    if (file.file.truncated) return page(request, reply, 422, { message: '文件超过 10 MB' })
    try {
      const rows = await readActivityFile(bytes, file.filename)
      // A large file runs as a job with its progress shown (jobs/jobs.ts).
      if (rows.length > largeImport) {
        const id = await startJob(
          deps,
          staffActor(request),
          'activities.import',
          `导入${recordKinds[kind].label}（${file.filename}，${rows.length} 行）`,
          rows.length,
          async (progress) => {
            const n = await importActivities(deps, staffActor(request), kind, rows, progress)
            return `已导入 ${n} 条记录。`
          },
        )
        return reply.redirect(`/console/jobs/${id}`, 303)
      }
      const n = await importActivities(deps, staffActor(request), kind, rows)
      return reply.redirect(`/console/activities?imported=${n}`, 303)
    } catch (e) {
      if (e instanceof AppError && e.code === 'invalid_input') return page(request, reply, 422, { message: e.message })
      throw e
    }
  })
}
