import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { reviewForm } from '../reviews/review.form.ts'
import { emptyForm } from '../web/form.tsx'
import type { FormState } from '../web/form.tsx'
import { parseForm } from '../web/form-parse.ts'
import { pageParam, textFilter } from '../web/pager.tsx'
import { itemForm, itemStatusLabels } from './disclosure.ts'
import {
  addAttachment,
  changeValidity,
  createItem,
  schedulePublication,
  recordChannelPublication,
  removeAttachment,
  publishItem,
  updateItem,
  withdrawItem,
} from './disclosure.service.ts'
import { clearFindings, returnItem, returnProblem, reviewItem, submitItem } from './item-review.service.ts'
import { itemChoicesOf, itemPageOf, itemsOfAgency, ownAttachmentOf } from './item-page.service.ts'
import { downloadDisposition, readStoredFile } from '../files/file-store.ts'
import { ItemPage, NewItemPage } from './disclosure.views.tsx'
import { ItemsPage } from './item-list.views.tsx'
import { attempt, pageContext, shownOnPage, staffActor, statusOf, requireStaff } from '../web/request-context.ts'

const idParam = z.object({ id: z.coerce.number().int().positive() })
const attachmentParams = z.object({
  id: z.coerce.number().int().positive(),
  attachmentId: z.coerce.number().int().positive(),
})
const channelPublicationForm = z.object({
  channelId: z.coerce.number({ error: '请选择渠道' }).int().positive('请选择渠道'),
  publishedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '请填写发布日期'),
  link: z
    .string()
    .trim()
    .max(500)
    .refine((v) => v === '' || /^https?:\/\//.test(v), '链接应以 http:// 或 https:// 开头')
    .optional(),
})
const validityForm = z.object({
  validity: z.enum(['repealed', 'lapsed'], { error: '请选择废止或失效' }),
  on: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '请填写日期'),
})
const scheduleForm = z.object({ at: z.string().regex(/^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})?$/, '请选择发布时间') })
type UploadBody = { file?: { filename: string; toBuffer(): Promise<Buffer>; file: { truncated: boolean } } } | undefined
const returnForm = z.object({
  returnReason: z.string({ error: '请写明退回理由' }).trim().min(1, '请写明退回理由').max(500, '理由不超过 500 字'),
})
/** The list's search words, column, status and page; an unknown column or status is no filter. */
const itemListQuery = z.object({
  q: z
    .unknown()
    .optional()
    .transform((v) => textFilter(v, 50)),
  column: z.coerce.number().int().positive().optional().catch(undefined),
  status: z
    .string()
    .refine((v) => v in itemStatusLabels)
    .optional()
    .catch(undefined),
  page: pageParam,
})
const withdrawForm = z.object({
  reason: z.string({ error: '请填写撤回理由' }).trim().min(2, '请填写撤回理由').max(500),
})

export function disclosureRoutes(app: FastifyInstance): void {
  const deps = app.deps
  const has = (request: FastifyRequest, ...roles: string[]) =>
    requireStaff(request).roles.some((r) => roles.includes(r))

  app.get('/console/items', async (request, reply) => {
    const filter = itemListQuery.parse(request.query ?? {})
    const query = { text: filter.q, columnId: filter.column, status: filter.status }
    const list = await itemsOfAgency(deps, requireStaff(request).agencyId, query, filter.page)
    const canDraft = has(request, 'drafter')
    return reply.page(200, <ItemsPage ctx={pageContext(request)} {...list} filter={filter} canDraft={canDraft} />)
  })

  const newPage = async (request: FastifyRequest, reply: FastifyReply, status: number, form: FormState) => {
    const choices = await itemChoicesOf(deps, requireStaff(request).agencyId)
    return reply.page(status, <NewItemPage ctx={pageContext(request)} {...choices} form={form} />)
  }

  app.get('/console/items/new', async (request, reply) =>
    newPage(request, reply, 200, { values: { validity: 'valid' }, errors: {} }),
  )

  app.post('/console/items', async (request, reply) => {
    const parsed = parseForm(itemForm, request.body)
    if (!parsed.ok) return newPage(request, reply, 422, parsed.form)
    const r = await attempt(() => createItem(deps, staffActor(request), parsed.data))
    if (!r.ok)
      return newPage(request, reply, 422, { values: request.body as Record<string, unknown>, errors: r.error.fields })
    return reply.redirect(`/console/items/${r.value}?saved=1`, 303)
  })

  const itemPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    status: number,
    form: FormState,
    message?: string,
  ) => {
    const user = requireStaff(request)
    const view = await itemPageOf(deps, staffActor(request), user, id)
    const canClear = has(request, 'reviewer') && user.reviewLevel === view.review.config.confidentialityLevel
    const canReturn = !returnProblem(view.item, user, view.review.config)
    return reply.page(
      status,
      <ItemPage
        ctx={pageContext(request)}
        {...view}
        form={form}
        message={message}
        canEdit={has(request, 'drafter')}
        canPublish={has(request, 'publisher')}
        canWithdraw={has(request, 'publisher', 'office_head')}
        canClear={canClear}
        canReturn={canReturn}
      />,
    )
  }

  const messages: Record<string, string> = {
    saved: '已保存。',
    submitted: '已提交审核。',
    reviewed: '审核意见已记录。',
    published: '已发布到门户网站。',
    withdrawn: '已撤回，门户网站保留撤回说明。',
    cleared: '已解除保密审查发现，可以发布。',
    attached: '附件已上传。',
    recorded: '已登记。',
    scheduled: '定时发布已设置。',
    returned: '已退回起草人修改。',
  }
  app.get('/console/items/:id', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    const key = Object.keys(messages).find((k) => (request.query as Record<string, string>)[k])
    return itemPage(request, reply, id, 200, emptyForm, key ? messages[key] : undefined)
  })

  app.post('/console/items/:id', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    const parsed = parseForm(itemForm, request.body)
    if (!parsed.ok) return itemPage(request, reply, id, 422, parsed.form)
    await updateItem(deps, staffActor(request), id, parsed.data)
    return reply.redirect(`/console/items/${id}?saved=1`, 303)
  })

  app.post('/console/items/:id/submit', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    await submitItem(deps, staffActor(request), id)
    return reply.redirect(`/console/items/${id}?submitted=1`, 303)
  })

  app.post('/console/items/:id/review', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    const parsed = parseForm(reviewForm, request.body)
    if (!parsed.ok) return itemPage(request, reply, id, 422, parsed.form)
    const level = requireStaff(request).reviewLevel
    const r = await attempt(() => reviewItem(deps, staffActor(request), level, id, parsed.data))
    // Refused: the reviewer's ticks and reason are shown again beside the message.
    const kept = request.body as Record<string, unknown>
    if (!r.ok) return itemPage(request, reply, id, 422, { values: kept, errors: r.error.fields })
    return reply.redirect(`/console/items/${id}?reviewed=1`, 303)
  })

  app.post('/console/items/:id/publish', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    const outcome = await publishItem(deps, staffActor(request), id)
    if (!outcome.published) return itemPage(request, reply, id, 409, emptyForm)
    return reply.redirect(`/console/items/${id}?published=1`, 303)
  })

  app.post('/console/items/:id/attachments', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    const file = (request.body as UploadBody)?.file
    if (!file || typeof file.toBuffer !== 'function')
      return itemPage(request, reply, id, 422, { values: {}, errors: { file: '请选择要上传的附件' } })
    const bytes = await file.toBuffer()
    if (file.file.truncated)
      return itemPage(request, reply, id, 422, { values: {}, errors: { file: '附件超过 10 MB' } })
    const r = await attempt(() => addAttachment(deps, staffActor(request), id, file.filename, bytes))
    if (!r.ok) return itemPage(request, reply, id, 422, { values: {}, errors: r.error.fields })
    return reply.redirect(`/console/items/${id}?attached=1`, 303)
  })

  app.post('/console/items/:id/attachments/:attachmentId/delete', async (request, reply) => {
    const { id, attachmentId } = attachmentParams.parse(request.params)
    await removeAttachment(deps, staffActor(request), id, attachmentId)
    return reply.redirect(`/console/items/${id}?saved=1`, 303)
  })

  app.get('/console/items/:id/attachments/:attachmentId', async (request, reply) => {
    const { id, attachmentId } = attachmentParams.parse(request.params)
    const row = await ownAttachmentOf(deps, staffActor(request), id, attachmentId)
    return reply
      .header('content-type', row.content_type)
      .header('content-disposition', downloadDisposition(row.file_name))
      .header('content-security-policy', "sandbox; default-src 'none'")
      .send(readStoredFile(deps.config.dataDir, row.storage_key))
  })

  app.post('/console/items/:id/channels', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    const parsed = parseForm(channelPublicationForm, request.body)
    if (!parsed.ok) return itemPage(request, reply, id, 422, parsed.form)
    const { channelId, publishedOn, link } = parsed.data
    const record = () => recordChannelPublication(deps, staffActor(request), id, channelId, publishedOn, link || null)
    const r = await attempt(record)
    if (!r.ok) return itemPage(request, reply, id, 422, { values: parsed.data, errors: r.error.fields })
    return reply.redirect(`/console/items/${id}?recorded=1`, 303)
  })

  app.post('/console/items/:id/validity', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    const parsed = parseForm(validityForm, request.body)
    if (!parsed.ok) return itemPage(request, reply, id, 422, parsed.form)
    const { validity, on } = parsed.data
    const r = await attempt(() => changeValidity(deps, staffActor(request), id, validity, on))
    if (!r.ok) return itemPage(request, reply, id, 422, { values: parsed.data, errors: r.error.fields })
    return reply.redirect(`/console/items/${id}?saved=1`, 303)
  })

  app.post('/console/items/:id/clear-findings', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    const parsed = parseForm(withdrawForm, request.body)
    if (!parsed.ok) return itemPage(request, reply, id, 422, parsed.form)
    const level = requireStaff(request).reviewLevel
    await clearFindings(deps, staffActor(request), level, id, parsed.data.reason)
    return reply.redirect(`/console/items/${id}?cleared=1`, 303)
  })

  // 退回修改: any reviewer while in review; the publisher, a reviewer or the office head once approved or blocked.
  app.post('/console/items/:id/return', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    const parsed = parseForm(returnForm, request.body)
    if (!parsed.ok) return itemPage(request, reply, id, 422, parsed.form)
    const r = await attempt(() => returnItem(deps, staffActor(request), id, parsed.data.returnReason), shownOnPage)
    if (!r.ok)
      return itemPage(request, reply, id, statusOf[r.error.code], { values: parsed.data, errors: {} }, r.error.message)
    return reply.redirect(`/console/items/${id}?returned=1`, 303)
  })

  app.post('/console/items/:id/schedule', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    const parsed = parseForm(scheduleForm, request.body)
    if (!parsed.ok) return itemPage(request, reply, id, 422, parsed.form)
    // The time is chosen in Beijing time; an empty value cancels the schedule.
    const at = parsed.data.at ? new Date(`${parsed.data.at}:00+08:00`).toISOString() : null
    const r = await attempt(() => schedulePublication(deps, staffActor(request), id, at))
    if (!r.ok) return itemPage(request, reply, id, 422, { values: parsed.data, errors: r.error.fields })
    return reply.redirect(`/console/items/${id}?scheduled=1`, 303)
  })

  app.post('/console/items/:id/withdraw', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    const parsed = parseForm(withdrawForm, request.body)
    if (!parsed.ok) return itemPage(request, reply, id, 422, parsed.form)
    await withdrawItem(deps, staffActor(request), id, parsed.data.reason)
    return reply.redirect(`/console/items/${id}?withdrawn=1`, 303)
  })
}
