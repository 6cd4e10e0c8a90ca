import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { AppError } from '../errors.ts'
import { emptyForm } from '../web/form.tsx'
import type { FormState } from '../web/form.tsx'
import { parseForm } from '../web/form-parse.ts'
import { contentDisposition, exportKinds, exportReport } from './render/report-export.ts'
import { sourceKindOf } from './import/read-file.ts'
import {
  computeDraft,
  explainCell,
  explainRegionCell,
  findOwnReport,
  importEarlierReport,
  listOwnReports,
  publishReport,
  regionReportOf,
  reviewReport,
  saveNarrative,
  submitForReview,
} from './report.service.ts'
import { reportPageOf } from './report-page.service.ts'
import { clearReportFindings, returnApprovedReport } from './report-scan.service.ts'
import { cellValue } from './report-cells.ts'
import { ReportSettingsPage } from './report-settings.views.tsx'
import { readAppealsCounting, saveAppealsCounting } from './report-settings.service.ts'
import { reviewForm } from '../reviews/review.form.ts'
import {
  AgencyCellPage,
  RegionCellPage,
  RegionReportPage,
  ReportCellPage,
  ReportPage,
  ReportsListPage,
  figuresOf,
} from './report.views.tsx'
import {
  attempt,
  namesFields,
  pageContext,
  shownOnPage,
  staffActor,
  statusOf,
  requireStaff,
} from '../web/request-context.ts'

const idParam = z.object({ id: z.coerce.number().int().positive() })
const downloadParams = z.object({ id: z.coerce.number().int().positive(), kind: z.enum(exportKinds) })
const computeForm = z.object({ year: z.coerce.number({ error: '请选择报告年度' }).int() })
const importForm = z.object({
  text: z
    .string({ error: '请粘贴报告全文' })
    .trim()
    .min(50, '请粘贴报告全文（至少包含一张表格）')
    .max(500_000, '文本过长'),
  confirmAgency: z.string().max(10).optional(),
})
const narrativeText = z
  .string()
  .max(50_000, '叙述过长')
  .transform((v) => v.replace(/\r\n/g, '\n').trim() || null)
const narrativeForm = z.object({ overview: narrativeText, problems: narrativeText, other: narrativeText })
const publishForm = z.object({ overrideReason: z.string().max(500).optional() })
const refQuery = z.object({ ref: z.string().max(80) })
type UploadBody = { file?: { filename: string; toBuffer(): Promise<Buffer>; file: { truncated: boolean } } } | undefined

// A file's extension and the kinds its content may be read as (FILE-01).
const allowedKinds: Record<string, string[]> = {
  txt: ['text'],
  htm: ['html', 'text'],
  html: ['html', 'text'],
  docx: ['docx'],
  pdf: ['pdf'],
  xlsx: ['xlsx'],
  json: ['json'],
}

const editors = ['drafter', 'office_head']

// A publication refused for a failing check names the fields (the override reason) the page shows.
const clearForm = z.object({
  reason: z.string({ error: '请写明解除理由' }).trim().min(2, '请写明解除理由').max(500, '理由不超过 500 字'),
})
const returnForm = z.object({
  returnReason: z.string({ error: '请写明退回理由' }).trim().min(1, '请写明退回理由').max(500, '理由不超过 500 字'),
})
const refusedPublication = (e: AppError) => e.code === 'invalid_transition' && namesFields(e)

export function reportRoutes(app: FastifyInstance): void {
  const deps = app.deps
  const thisYear = () =>
    Number(deps.clock.now().toLocaleString('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }))
  const canEdit = (request: FastifyRequest) => requireStaff(request).roles.some((r) => editors.includes(r))
  const regionYear = () => z.coerce.number().int().min(2019).max(thisYear())

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
    const r = await attempt(() => computeDraft(deps, staffActor(request), parsed.data.year))
    if (!r.ok) return listPage(request, reply, 422, { values: parsed.data, errors: r.error.fields })
    return reply.redirect(`/console/reports/${r.value}`, 303)
  })

  app.post('/console/reports/import', async (request, reply) => {
    const parsed = parseForm(importForm, request.body)
    if (!parsed.ok) return listPage(request, reply, 422, parsed.form)
    const text = Buffer.from(parsed.data.text)
    const confirmAgency = parsed.data.confirmAgency === 'on'
    const r = await attempt(() => importEarlierReport(deps, staffActor(request), text, '粘贴的文本', { confirmAgency }))
    if (!r.ok) {
      const errors = r.error.fields.confirmAgency ? r.error.fields : { text: r.error.message }
      return listPage(request, reply, 422, { values: parsed.data, errors })
    }
    return reply.redirect(`/console/reports/${r.value}`, 303)
  })

  // A published report of an earlier year as a file: type by extension and by content (FILE-01).
  app.post('/console/reports/upload', async (request, reply) => {
    const file = (request.body as UploadBody)?.file
    const fail = (message: string) => listPage(request, reply, 422, { values: {}, errors: { file: message } })
    if (!file || typeof file.toBuffer !== 'function') return fail('请选择要导入的报告文件')
    const bytes = await file.toBuffer()
    if (file.file.truncated) return fail('文件超过 10 MB')
    const ext = /\.([a-z]+)$/i.exec(file.filename)?.[1]?.toLowerCase() ?? ''
    if (!allowedKinds[ext]?.includes(sourceKindOf(bytes, file.filename)))
      return fail('仅支持 TXT、HTML、DOCX、PDF、XLSX、JSON 格式，且文件内容须与扩展名一致')
    const confirmAgency = (request.body as { confirmAgency?: { value?: string } }).confirmAgency?.value === 'on'
    const imported = () => importEarlierReport(deps, staffActor(request), bytes, file.filename, { confirmAgency })
    const r = await attempt(imported)
    if (!r.ok && r.error.fields.confirmAgency)
      return listPage(request, reply, 422, { values: {}, errors: { file: r.error.message, confirmFile: 'on' } })
    if (!r.ok) return fail(r.error.message)
    return reply.redirect(`/console/reports/${r.value}`, 303)
  })

  const reportPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    status: number,
    form: FormState,
    message?: string,
  ) => {
    const user = requireStaff(request)
    const { stored, check, review, counts } = await reportPageOf(deps, staffActor(request), user, id)
    // The 保密审查 reviewer clears findings; with the office head, returns an approved report that may not go out.
    const clears = user.roles.includes('reviewer') && user.reviewLevel === review.config.confidentialityLevel
    return reply.page(
      status,
      <ReportPage
        ctx={pageContext(request)}
        stored={stored}
        check={check}
        canEdit={canEdit(request)}
        canPublish={user.roles.includes('office_head')}
        canClear={clears}
        canReturn={clears || user.roles.includes('office_head')}
        review={review}
        form={form}
        figures={figuresOf(stored.report, counts)}
        message={message}
      />,
    )
  }

  app.get('/console/reports/:id', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    const q = request.query as Record<string, string | undefined>
    const messages: Record<string, string> = {
      saved: '叙述已保存。',
      published: '已发布到门户网站“年度报告”栏目。',
      submitted: '已提交审核。',
      reviewed: '审核意见已记录。',
      cleared: '保密审查发现已解除，理由已记入审计日志。',
      returned: '已退回起草人修改。',
    }
    const message = Object.entries(messages).find(([k]) => q[k])?.[1]
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
    const { ref } = refQuery.parse(request.query)
    const cell = await explainCell(deps, staffActor(request), id, ref)
    return reply.page(200, <ReportCellPage ctx={pageContext(request)} id={id} cell={cell} />)
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
    const level = requireStaff(request).reviewLevel
    const r = await attempt(() => reviewReport(deps, staffActor(request), level, id, parsed.data))
    if (!r.ok) return reportPage(request, reply, id, 422, { values: {}, errors: r.error.fields })
    return reply.redirect(`/console/reports/${id}?reviewed=1`, 303)
  })

  app.post('/console/reports/:id/publish', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    const parsed = parseForm(publishForm, request.body)
    const reason = parsed.ok ? parsed.data.overrideReason : undefined
    const r = await attempt(() => publishReport(deps, staffActor(request), id, reason), refusedPublication)
    if (!r.ok) return reportPage(request, reply, id, 422, { values: {}, errors: r.error.fields })
    return reply.redirect(`/console/reports/${id}?published=1`, 303)
  })

  app.post('/console/reports/:id/clear-findings', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    const parsed = parseForm(clearForm, request.body)
    if (!parsed.ok) return reportPage(request, reply, id, 422, parsed.form)
    const level = requireStaff(request).reviewLevel
    await clearReportFindings(deps, staffActor(request), level, id, parsed.data.reason)
    return reply.redirect(`/console/reports/${id}?cleared=1`, 303)
  })

  app.post('/console/reports/:id/return', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    const parsed = parseForm(returnForm, request.body)
    if (!parsed.ok) return reportPage(request, reply, id, 422, parsed.form)
    await returnApprovedReport(deps, staffActor(request), id, parsed.data.returnReason)
    return reply.redirect(`/console/reports/${id}?returned=1`, 303)
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
    const parsed = z.object({ year: regionYear() }).safeParse(request.query)
    const year = parsed.success ? parsed.data.year : thisYear() - 1
    const region = await regionReportOf(deps, year)
    const counting = await readAppealsCounting(deps.db)
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
      <RegionReportPage ctx={pageContext(request)} year={year} region={region} counting={counting} />,
    )
  })

  // The supervising office's 公开办负责人 sets how section 四 counts a case that spans two years (§2.6).
  app.get('/console/report-settings', async (request, reply) => {
    const counting = await readAppealsCounting(deps.db)
    const saved = (request.query as { saved?: string }).saved === '1'
    return reply.page(200, <ReportSettingsPage ctx={pageContext(request)} counting={counting} saved={saved} />)
  })

  app.post('/console/report-settings', async (request, reply) => {
    const { appealsCountedBy } = z.object({ appealsCountedBy: z.string().max(40).default('') }).parse(request.body)
    const saved = await attempt(() => saveAppealsCounting(deps, staffActor(request), appealsCountedBy), shownOnPage)
    if (saved.ok) return reply.redirect('/console/report-settings?saved=1', 303)
    const counting = await readAppealsCounting(deps.db)
    const page = <ReportSettingsPage ctx={pageContext(request)} counting={counting} error={saved.error} />
    return reply.page(statusOf[saved.error.code], page)
  })

  // Drill-down, step 1: one cell of the region's report, agency by agency.
  app.get('/console/region/reports/cell', async (request, reply) => {
    const q = z.object({ year: regionYear(), ref: z.string().max(80) }).parse(request.query)
    const region = await regionReportOf(deps, q.year)
    const total = cellValue(region.report, q.ref)
    if (total === undefined) throw new AppError('not_found', '该单元格不存在')
    return reply.page(200, <RegionCellPage ctx={pageContext(request)} q={q} total={total} region={region} />)
  })

  // Drill-down, step 2: the records one agency's cell counts.
  app.get('/console/region/reports/:id/cell', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    const { ref } = refQuery.parse(request.query)
    const cell = await explainRegionCell(deps, id, ref)
    return reply.page(200, <AgencyCellPage ctx={pageContext(request)} ref={ref} cell={cell} />)
  })
}
