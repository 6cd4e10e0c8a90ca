import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { formatShanghai } from '../clock.ts'
import { AppError } from '../errors.ts'
import type { FormState } from '../web/form.tsx'
import { parseForm } from '../web/form-parse.ts'
import { largeImport, startJob } from '../jobs/jobs.ts'
import { importItems, readImportFile } from './item-import.ts'
import type { ImportResult } from './item-import.ts'
import { addChannel, channelsOf, publicationCountsOf, quotaOverviewOf, saveQuota } from './channels.service.ts'
import { ChannelsPage, CountsPage, ImportPage, QuotaPage, channelKinds, importSummary } from './channels.views.tsx'
import { attempt, pageContext, staffActor, requireStaff } from '../web/request-context.ts'

// Channels (门户网站, WeChat accounts by name, 信用网站, 政务服务平台, 政府公报 …), the period counts
// a 总体情况 states, and the units' information quotas (信息报送, e.g. one item a month).

const channelForm = z.object({
  name: z.string({ error: '请填写渠道名称' }).trim().min(2, '渠道名称至少 2 个字').max(40, '渠道名称不得超过 40 个字'),
  kind: z.enum(Object.keys(channelKinds) as [keyof typeof channelKinds], { error: '请选择渠道类型' }),
})
const quotaForm = z.object({
  perMonth: z.coerce.number({ error: '请填写每月最少条数' }).int().min(0, '不能为负数').max(100, '不得超过 100'),
})
const isoDate = /^\d{4}-\d{2}-\d{2}$/
type UploadBody = { file?: { filename: string; toBuffer(): Promise<Buffer>; file: { truncated: boolean } } } | undefined

export function channelRoutes(app: FastifyInstance): void {
  const deps = app.deps
  const thisYear = () => Number(formatShanghai(deps.clock.now().toISOString()).slice(0, 4))

  const channelsPage = async (request: FastifyRequest, reply: FastifyReply, status: number, form: FormState) => {
    const channels = await channelsOf(deps, requireStaff(request).agencyId)
    return reply.page(status, <ChannelsPage ctx={pageContext(request)} channels={channels} form={form} />)
  }

  app.get('/console/channels', async (request, reply) => channelsPage(request, reply, 200, { values: {}, errors: {} }))

  app.post('/console/channels', async (request, reply) => {
    const parsed = parseForm(channelForm, request.body)
    if (!parsed.ok) return channelsPage(request, reply, 422, parsed.form)
    const r = await attempt(() => addChannel(deps, staffActor(request), parsed.data))
    if (!r.ok) return channelsPage(request, reply, 422, { values: parsed.data, errors: r.error.fields })
    return reply.redirect('/console/channels', 303)
  })

  const importPage = (
    reply: FastifyReply,
    request: FastifyRequest,
    status: number,
    error?: string,
    result?: ImportResult,
  ) => reply.page(status, <ImportPage ctx={pageContext(request)} error={error} result={result} />)

  app.get('/console/items/import', async (request, reply) => importPage(reply, request, 200))

  app.post('/console/items/import', async (request, reply) => {
    const file = (request.body as UploadBody)?.file
    if (!file || typeof file.toBuffer !== 'function') return importPage(reply, request, 422, '请选择要导入的文件')
    const bytes = await file.toBuffer()
    if (file.file.truncated) return importPage(reply, request, 422, '文件超过 10 MB')
    const agencyId = requireStaff(request).agencyId
    const read = await attempt(async () => readImportFile(bytes.toString('utf8'), file.filename))
    if (!read.ok) return importPage(reply, request, 422, read.error.message)
    const rows = read.value
    // A large file runs as a job: the page shows its progress and can be left and come back to.
    if (rows.length > largeImport) {
      const title = `导入旧信息（${file.filename}，${rows.length} 行）`
      const id = await startJob(deps, staffActor(request), 'items.import', title, rows.length, async (progress) => {
        const r = await importItems(deps, request.actor, agencyId, rows, progress)
        return importSummary(r)
      })
      return reply.redirect(`/console/jobs/${id}`, 303)
    }
    const imported = await attempt(() => importItems(deps, request.actor, agencyId, rows))
    if (!imported.ok) return importPage(reply, request, 422, imported.error.message)
    return importPage(reply, request, 200, undefined, imported.value)
  })

  app.get('/console/counts', async (request, reply) => {
    const today = formatShanghai(deps.clock.now().toISOString()).slice(0, 10)
    const query = request.query as Record<string, string>
    const q = z
      .object({
        from: z
          .string()
          .regex(isoDate)
          .catch(`${today.slice(0, 4)}-01-01`),
        to: z.string().regex(isoDate).catch(today),
      })
      .parse({ from: query.from, to: query.to })
    if (q.from > q.to) throw new AppError('invalid_input', '起始日期不能晚于截止日期')
    const counts = await publicationCountsOf(deps, requireStaff(request).agencyId, q.from, q.to)
    return reply.page(200, <CountsPage ctx={pageContext(request)} from={q.from} to={q.to} counts={counts} />)
  })

  const quotaPage = async (request: FastifyRequest, reply: FastifyReply, status: number, form?: FormState) => {
    const user = requireStaff(request)
    const yearQuery = (request.query as Record<string, string>).year
    const year = z.coerce.number().int().min(2000).max(2100).catch(thisYear()).parse(yearQuery)
    const overview = await quotaOverviewOf(deps, user.agencyId, year)
    const canSet = user.roles.includes('office_head')
    return reply.page(status, <QuotaPage ctx={pageContext(request)} overview={overview} canSet={canSet} form={form} />)
  }

  app.get('/console/quotas', async (request, reply) => quotaPage(request, reply, 200))

  app.post('/console/quotas', async (request, reply) => {
    const parsed = parseForm(quotaForm, request.body)
    if (!parsed.ok) return quotaPage(request, reply, 422, parsed.form)
    await saveQuota(deps, staffActor(request), parsed.data)
    return reply.redirect('/console/quotas', 303)
  })
}
