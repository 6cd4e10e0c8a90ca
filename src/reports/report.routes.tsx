import { cellValue, explainRegionCell } from './report.service.ts'
import type { CellExplanation } from './report.service.ts'
import { countPublications } from '../disclosures/counts.ts'
import type { Counts } from '../disclosures/counts.ts'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { AppError } from '../errors.ts'
import { Notice, emptyForm } from '../web/form.tsx'
import type { FormState } from '../web/form.tsx'
import { parseForm } from '../web/form-parse.ts'
import { ConsoleLayout } from '../web/layout.tsx'
import { appealGroups, appealGroupLabels, formats } from './report-format.ts'
import type { AnnualReport } from './report.ts'
import { contentDisposition, exportKinds, exportReport } from './render/report-export.ts'
import { ReportBody } from './render/report-html.tsx'
import { sourceKindOf } from './import/read-file.ts'
import {
  checkStored,
  computeDraft,
  explainCell,
  findOwnReport,
  importEarlierReport,
  listOwnReports,
  publishReport,
  regionReportOf,
  reviewReport,
  saveNarrative,
  submitForReview,
} from './report.service.ts'
import { reviewForm } from '../reviews/review.form.ts'
import { reviewViewFor } from '../reviews/review.service.ts'
import { Findings, ReportPage, ReportsListPage } from './report.views.tsx'
import { pageContext, staffActor, requireStaff } from '../web/request-context.ts'

const idParam = z.object({ id: z.coerce.number().int().positive() })
const downloadParams = z.object({ id: z.coerce.number().int().positive(), kind: z.enum(exportKinds) })
const computeForm = z.object({ year: z.coerce.number({ error: '请选择报告年度' }).int() })
const importForm = z.object({
  text: z
    .string({ error: '请粘贴报告全文' })
    .trim()
    .min(50, '请粘贴报告全文（至少包含一张表格）')
    .max(500_000, '文本过长'),
})
const narrativeText = z
  .string()
  .max(50_000, '叙述过长')
  .transform((v) => v.replace(/\r\n/g, '\n').trim() || null)
const narrativeForm = z.object({ overview: narrativeText, problems: narrativeText, other: narrativeText })
const publishForm = z.object({ overrideReason: z.string().max(500).optional() })

const editors = ['drafter', 'office_head']

/** The computed figures staff most often quote in the narrative, ready to copy. */
function figuresOf(report: AnnualReport, counts?: Counts): string[] {
  const rows = report.applications.rows
  const total = (code: string) => rows[code]?.[6] ?? 0
  const published =
    counts && counts.total > 0
      ? [
          `本年主动公开政府信息 ${counts.total} 条，其中${counts.byChannelKind.map((k) => `${k.kind === 'other' || k.channels.length === 1 ? k.channels.map((c) => `${c.name} ${c.items} 条`).join('、') : `${k.label} ${k.items} 条（${k.channels.map((c) => `${c.name} ${c.items} 条`).join('、')}）`}`).join('、')}`,
        ]
      : []
  return [
    ...published,
    `本年新收政府信息公开申请 ${total('NEW')} 件`,
    `上年结转 ${total('CARRIED_IN')} 件`,
    `本年度办理 ${total('TOTAL')} 件（予以公开 ${total('GRANTED')} 件、部分公开 ${total('PARTIAL')} 件）`,
    `结转下年度 ${total('CARRIED_OUT')} 件`,
    ...appealGroups.map((g) => `${appealGroupLabels[g]} ${report.appeals[g]?.[4] ?? 0} 件`),
  ]
}

/** "Why is this cell N": the stored value beside the count now, and the records counted. */
function CellRecords(props: { cell: CellExplanation; valueId?: string }) {
  const cell = props.cell
  const outcomeLabel = (code: string | null) =>
    formats['2021'].applicationRows.find((r) => r.code === code)?.label ?? '—'
  return (
    <>
      <p>
        报告中的数值：<strong id={props.valueId}>{cell.stored ?? '空白'}</strong>；按当前记录计数：
        <strong>{cell.current}</strong>。
      </p>
      {cell.stored !== null && cell.stored !== cell.current && (
        <Notice kind="warn">报告生成后记录有变化；重新计算草稿可更新此数（已发布的版本保持不变）。</Notice>
      )}
      {cell.records.length > 0 && (
        <table>
          <caption>计入此数的政府信息公开申请</caption>
          <thead>
            <tr>
              <th scope="col">申请编号</th>
              <th scope="col">收到日期</th>
              <th scope="col">办结日期</th>
              <th scope="col">办理结果</th>
            </tr>
          </thead>
          <tbody>
            {cell.records.map((a) => (
              <tr>
                <td>{String(a.id)}</td>
                <td>{a.receivedOn}</td>
                <td>{a.concludedOn ?? '办理中'}</td>
                <td>{outcomeLabel(a.outcome)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {cell.otherIds.length > 0 && <p>计入此数的记录：{cell.otherIds.join('、')}</p>}
      {cell.current === 0 && <p>没有记录计入此数。</p>}
    </>
  )
}

export function reportRoutes(app: FastifyInstance): void {
  const deps = app.deps
  const thisYear = () =>
    Number(deps.clock.now().toLocaleString('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }))
  const canEdit = (request: FastifyRequest) => requireStaff(request).roles.some((r) => editors.includes(r))

  const listPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    form: FormState,
    message?: string,
  ) =>
    reply.page(
      status,
      <ReportsListPage
        ctx={pageContext(request)}
        reports={await listOwnReports(deps, staffActor(request))}
        form={form}
        thisYear={thisYear()}
        canEdit={canEdit(request)}
        message={message}
      />,
    )

  app.get('/console/reports', async (request, reply) => listPage(request, reply, 200, emptyForm))

  app.post('/console/reports', async (request, reply) => {
    const parsed = parseForm(computeForm, request.body)
    if (!parsed.ok) return listPage(request, reply, 422, parsed.form)
    try {
      const id = await computeDraft(deps, staffActor(request), parsed.data.year)
      return reply.redirect(`/console/reports/${id}`, 303)
    } catch (e) {
      if (e instanceof AppError && e.code === 'invalid_input')
        return listPage(request, reply, 422, { values: parsed.data, errors: e.fields })
      throw e
    }
  })

  app.post('/console/reports/import', async (request, reply) => {
    const parsed = parseForm(importForm, request.body)
    if (!parsed.ok) return listPage(request, reply, 422, parsed.form)
    try {
      const id = await importEarlierReport(deps, staffActor(request), Buffer.from(parsed.data.text), '粘贴的文本')
      return reply.redirect(`/console/reports/${id}`, 303)
    } catch (e) {
      if (e instanceof AppError && e.code === 'invalid_input')
        return listPage(request, reply, 422, { values: parsed.data, errors: { text: e.message } })
      throw e
    }
  })

  // A published report of an earlier year as a file: type by extension and by content (FILE-01).
  app.post('/console/reports/upload', async (request, reply) => {
    const body = request.body as
      { file?: { filename: string; toBuffer(): Promise<Buffer>; file: { truncated: boolean } } } | undefined
    const file = body?.file
    const fail = (message: string) => listPage(request, reply, 422, { values: {}, errors: { file: message } })
    if (!file || typeof file.toBuffer !== 'function') return fail('请选择要导入的报告文件')
    const bytes = await file.toBuffer()
    if (file.file.truncated) return fail('文件超过 10 MB')
    const ext = /\.([a-z]+)$/i.exec(file.filename)?.[1]?.toLowerCase() ?? ''
    const kind = sourceKindOf(bytes, file.filename)
    const allowed: Record<string, string[]> = {
      txt: ['text'],
      htm: ['html', 'text'],
      html: ['html', 'text'],
      docx: ['docx'],
      pdf: ['pdf'],
      xlsx: ['xlsx'],
      json: ['json'],
    }
    if (!allowed[ext]?.includes(kind))
      return fail('仅支持 TXT、HTML、DOCX、PDF、XLSX、JSON 格式，且文件内容须与扩展名一致')
    try {
      const id = await importEarlierReport(deps, staffActor(request), bytes, file.filename)
      return reply.redirect(`/console/reports/${id}`, 303)
    } catch (e) {
      if (e instanceof AppError && e.code === 'invalid_input') return fail(e.message)
      throw e
    }
  })

  const reportPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    status: number,
    form: FormState,
    message?: string,
  ) => {
    const stored = await findOwnReport(deps, staffActor(request), id)
    const check = await checkStored(deps, stored)
    const user = requireStaff(request)
    const review = await reviewViewFor(
      deps.db,
      {
        objectType: 'annual_report',
        objectId: stored.id,
        agencyId: stored.agency_id,
        authorId: stored.created_by,
        round: stored.review_round,
      },
      user,
    )
    return reply.page(
      status,
      <ReportPage
        ctx={pageContext(request)}
        stored={stored}
        check={check}
        canEdit={canEdit(request)}
        canPublish={user.roles.includes('office_head')}
        review={review}
        form={form}
        figures={figuresOf(
          stored.report,
          await countPublications(deps.db, stored.agency_id, `${stored.year}-01-01`, `${stored.year}-12-31`),
        )}
        message={message}
      />,
    )
  }

  app.get('/console/reports/:id', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    const q = request.query as { saved?: string; published?: string }
    const q2 = request.query as { submitted?: string; reviewed?: string }
    const message = q.saved
      ? '叙述已保存。'
      : q.published
        ? '已发布到门户网站“年度报告”栏目。'
        : q2.submitted
          ? '已提交审核。'
          : q2.reviewed
            ? '审核意见已记录。'
            : undefined
    return reportPage(request, reply, id, 200, emptyForm, message)
  })

  app.post('/console/reports/:id/narrative', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    const parsed = parseForm(narrativeForm, request.body)
    if (!parsed.ok) return reportPage(request, reply, id, 422, parsed.form)
    await saveNarrative(deps, staffActor(request), id, parsed.data)
    return reply.redirect(`/console/reports/${id}?saved=1`, 303)
  })

  app.get('/console/reports/:id/cell', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    const ref = z.object({ ref: z.string().max(80) }).parse(request.query).ref
    const cell = await explainCell(deps, staffActor(request), id, ref)
    return reply.page(
      200,
      <ConsoleLayout ctx={pageContext(request)} title="单元格来源">
        <p>
          <a href={`/console/reports/${id}`}>← 返回年度报告</a>
        </p>
        <h1>{cell.label}</h1>
        <CellRecords cell={cell} />
      </ConsoleLayout>,
    )
  })

  app.post('/console/reports/:id/submit', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    await submitForReview(deps, staffActor(request), id)
    return reply.redirect(`/console/reports/${id}?submitted=1`, 303)
  })

  app.post('/console/reports/:id/review', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    const parsed = parseForm(reviewForm, request.body)
    if (!parsed.ok) return reportPage(request, reply, id, 422, parsed.form)
    try {
      await reviewReport(deps, staffActor(request), requireStaff(request).reviewLevel, id, parsed.data)
    } catch (e) {
      if (e instanceof AppError && e.code === 'invalid_input')
        return reportPage(request, reply, id, 422, { values: {}, errors: e.fields })
      throw e
    }
    return reply.redirect(`/console/reports/${id}?reviewed=1`, 303)
  })

  app.post('/console/reports/:id/publish', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    const parsed = parseForm(publishForm, request.body)
    const reason = parsed.ok ? parsed.data.overrideReason : undefined
    try {
      await publishReport(deps, staffActor(request), id, reason)
    } catch (e) {
      if (e instanceof AppError && e.code === 'invalid_transition' && Object.keys(e.fields).length > 0) {
        return reportPage(request, reply, id, 422, { values: {}, errors: e.fields })
      }
      throw e
    }
    return reply.redirect(`/console/reports/${id}?published=1`, 303)
  })

  app.get('/console/reports/:id/download/:kind', async (request, reply) => {
    const { id, kind } = downloadParams.parse(request.params)
    const stored = await findOwnReport(deps, staffActor(request), id)
    const file = await exportReport(stored.report, kind)
    return reply
      .header('content-type', file.type)
      .header('content-disposition', contentDisposition(file.fileName))
      .send(file.body)
  })

  // The supervising office: the region's report of a year, with each agency's findings.
  app.get('/console/region/reports', async (request, reply) => {
    const parsed = z.object({ year: z.coerce.number().int().min(2019).max(thisYear()) }).safeParse(request.query)
    const year = parsed.success ? parsed.data.year : thisYear() - 1
    const region = await regionReportOf(deps, year)
    const download = (request.query as { download?: string }).download
    if (download === 'xlsx' || download === 'docx' || download === 'pdf') {
      const file = await exportReport(region.report, download)
      return reply
        .header('content-type', file.type)
        .header('content-disposition', contentDisposition(file.fileName))
        .send(file.body)
    }
    return reply.page(
      200,
      <ConsoleLayout ctx={pageContext(request)} title={`${year}年区域年度报告汇总`}>
        <h1>{year}年区域年度报告汇总</h1>
        <p>
          导出：<a href={`/console/region/reports?year=${year}&download=xlsx`}>XLSX</a> ·{' '}
          <a href={`/console/region/reports?year=${year}&download=docx`}>DOCX</a> ·{' '}
          <a href={`/console/region/reports?year=${year}&download=pdf`}>PDF</a>
        </p>
        <form method="get" action="/console/region/reports" class="filters">
          <div class="field">
            <label for="f-year">年度</label>
            <input id="f-year" name="year" inputMode="numeric" value={String(year)} />
          </div>
          <button type="submit">查看</button>
        </form>
        <p>
          已计入 {region.agencies.length} 个机关的报告。
          {region.withoutReport.length > 0 && `尚无报告：${region.withoutReport.join('、')}。`}
        </p>
        {region.excluded.length > 0 && (
          <Notice kind="warn">{region.excluded.map((x) => `${x.agencyName}：${x.reason}`).join('；')}</Notice>
        )}
        {region.agencies.map((a) => (
          <details>
            <summary>
              {a.agencyName}：{a.check.findings.filter((f) => f.severity === 'error').length} 个错误，
              {a.check.findings.filter((f) => f.severity === 'warning').length} 个提示
            </summary>
            {region.publishedIds.has(a.agencyId) ? (
              <p>
                <a href={`/reports/${region.publishedIds.get(a.agencyId)}`}>查看该机关发布的报告</a>
              </p>
            ) : (
              <p class="hint">该机关的报告为导入的已发布文本。</p>
            )}
            <Findings check={a.check} missing={[]} />
          </details>
        ))}
        <p class="hint">点击表中的数字，可查看各机关的数值并追溯到计入的记录。</p>
        <ReportBody
          report={region.report}
          level={2}
          cellLink={(ref) => `/console/region/reports/cell?year=${year}&ref=${encodeURIComponent(ref)}`}
        />
      </ConsoleLayout>,
    )
  })

  // Drill-down, step 1: one cell of the region's report, agency by agency.
  app.get('/console/region/reports/cell', async (request, reply) => {
    const q = z
      .object({ year: z.coerce.number().int().min(2019).max(thisYear()), ref: z.string().max(80) })
      .parse(request.query)
    const region = await regionReportOf(deps, q.year)
    const total = cellValue(region.report, q.ref)
    if (total === undefined) throw new AppError('not_found', '该单元格不存在')
    return reply.page(
      200,
      <ConsoleLayout ctx={pageContext(request)} title="区域单元格">
        <p>
          <a href={`/console/region/reports?year=${q.year}`}>← 返回区域年报汇总</a>
        </p>
        <h1>
          {q.year}年区域汇总：{q.ref}
        </h1>
        <p>
          区域合计：<strong id="region-total">{total ?? '空白'}</strong>
        </p>
        <table>
          <caption>各机关的数值</caption>
          <thead>
            <tr>
              <th scope="col">机关</th>
              <th scope="col">数值</th>
              <th scope="col">记录</th>
            </tr>
          </thead>
          <tbody>
            {region.parts.map((p) => (
              <tr>
                <th scope="row">{p.agencyName}</th>
                <td>{cellValue(p.report, q.ref) ?? '空白'}</td>
                <td>
                  {region.publishedIds.has(p.agencyId) ? (
                    <a
                      href={`/console/region/reports/${region.publishedIds.get(p.agencyId)}/cell?ref=${encodeURIComponent(q.ref)}`}
                    >
                      查看{p.agencyName}计入的记录
                    </a>
                  ) : (
                    '导入的已发布报告，无记录'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ConsoleLayout>,
    )
  })

  // Drill-down, step 2: the records one agency's cell counts.
  app.get('/console/region/reports/:id/cell', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    const ref = z.object({ ref: z.string().max(80) }).parse(request.query).ref
    const cell = await explainRegionCell(deps, id, ref)
    return reply.page(
      200,
      <ConsoleLayout ctx={pageContext(request)} title="单元格来源">
        <p>
          <a href={`/console/region/reports/cell?year=${cell.year}&ref=${encodeURIComponent(ref)}`}>← 返回各机关数值</a>
        </p>
        <h1>{cell.label}</h1>
        <CellRecords cell={cell} valueId="agency-value" />
      </ConsoleLayout>,
    )
  })
}
