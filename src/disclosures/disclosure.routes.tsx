import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { formatShanghai } from '../clock.ts'
import { AppError } from '../errors.ts'
import { reviewForm } from '../reviews/review.form.ts'
import { reviewViewFor } from '../reviews/review.service.ts'
import { emptyForm } from '../web/form.tsx'
import type { FormState } from '../web/form.tsx'
import { parseForm } from '../web/form-parse.ts'
import { ConsoleLayout } from '../web/layout.tsx'
import { itemForm, itemStatusLabels } from './disclosure.ts'
import {
  addAttachment,
  changeValidity,
  clearFindings,
  createItem,
  schedulePublication,
  recordChannelPublication,
  removeAttachment,
  findOwnItem,
  publishItem,
  reviewItem,
  submitItem,
  updateItem,
  withdrawItem,
} from './disclosure.service.ts'
import {
  findAttachment,
  listAttachments,
  listChannels,
  listColumns,
  listItemChannels,
  listItemsOfAgency,
} from './disclosure.store.ts'
import { listUnits } from '../agencies/agency.store.ts'
import { historyOf } from '../audit/audit.service.ts'
import { loadCalendar } from '../deadlines/calendar.store.ts'
import { publicationTimeliness } from './timeliness.ts'
import { downloadDisposition, readStoredFile } from '../files/file-store.ts'
import { ItemForm, ItemPage } from './disclosure.views.tsx'
import { pageContext, staffActor, requireStaff } from '../web/request-context.ts'

const idParam = z.object({ id: z.coerce.number().int().positive() })
const withdrawForm = z.object({
  reason: z.string({ error: '请填写撤回理由' }).trim().min(2, '请填写撤回理由').max(500),
})

export function disclosureRoutes(app: FastifyInstance): void {
  const deps = app.deps
  const has = (request: FastifyRequest, ...roles: string[]) =>
    requireStaff(request).roles.some((r) => roles.includes(r))

  app.get('/console/items', async (request, reply) => {
    const items = await listItemsOfAgency(deps.db, requireStaff(request).agencyId)
    const columns = new Map((await listColumns(deps.db, requireStaff(request).agencyId)).map((c) => [c.id, c.name]))
    return reply.page(
      200,
      <ConsoleLayout ctx={pageContext(request)} title="主动公开信息">
        <h1>主动公开信息</h1>
        {has(request, 'drafter') && (
          <p>
            <a class="button" href="/console/items/new">
              起草新信息
            </a>
          </p>
        )}
        <table>
          <caption>本机关的信息（最近 200 条）</caption>
          <thead>
            <tr>
              <th scope="col">名称</th>
              <th scope="col">栏目</th>
              <th scope="col">索引号</th>
              <th scope="col">状态</th>
              <th scope="col">更新时间</th>
            </tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <tr>
                <td>
                  <a href={`/console/items/${i.id}`}>{i.title}</a>
                </td>
                <td>{columns.get(i.column_id)}</td>
                <td>{i.index_number}</td>
                <td>{itemStatusLabels[i.status]}</td>
                <td>{formatShanghai(i.updated_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ConsoleLayout>,
    )
  })

  const newPage = async (request: FastifyRequest, reply: FastifyReply, status: number, form: FormState) =>
    reply.page(
      status,
      <ConsoleLayout ctx={pageContext(request)} title="起草信息">
        <h1>起草主动公开信息</h1>
        <ItemForm
          ctx={pageContext(request)}
          action="/console/items"
          columns={await listColumns(deps.db, requireStaff(request).agencyId)}
          units={await listUnits(deps.db, requireStaff(request).agencyId)}
          channels={await listChannels(deps.db, requireStaff(request).agencyId)}
          form={form}
          submitLabel="保存草稿"
        />
      </ConsoleLayout>,
    )

  app.get('/console/items/new', async (request, reply) =>
    newPage(request, reply, 200, { values: { validity: 'valid' }, errors: {} }),
  )

  app.post('/console/items', async (request, reply) => {
    const parsed = parseForm(itemForm, request.body)
    if (!parsed.ok) return newPage(request, reply, 422, parsed.form)
    try {
      const id = await createItem(deps, staffActor(request), parsed.data)
      return reply.redirect(`/console/items/${id}?saved=1`, 303)
    } catch (e) {
      if (e instanceof AppError && e.code === 'invalid_input')
        return newPage(request, reply, 422, { values: request.body as Record<string, unknown>, errors: e.fields })
      throw e
    }
  })

  const itemPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    status: number,
    form: FormState,
    message?: string,
  ) => {
    const item = await findOwnItem(deps, staffActor(request), id)
    const timeliness = publicationTimeliness(
      await loadCalendar(deps.db),
      item.formed_on,
      item.published_at,
      deps.clock.now(),
    )
    const review = await reviewViewFor(
      deps.db,
      {
        objectType: 'item',
        objectId: id,
        agencyId: item.agency_id,
        authorId: item.created_by,
        round: item.review_round,
      },
      requireStaff(request),
    )
    return reply.page(
      status,
      <ItemPage
        ctx={pageContext(request)}
        item={item}
        columns={await listColumns(deps.db, item.agency_id)}
        units={await listUnits(deps.db, item.agency_id)}
        channels={await listChannels(deps.db, item.agency_id)}
        history={await historyOf(deps, 'item', id)}
        publications={await listItemChannels(deps.db, id)}
        timeliness={item.source === 'platform' ? timeliness : undefined}
        form={form}
        review={review}
        message={message}
        attachments={await listAttachments(deps.db, id)}
        canEdit={has(request, 'drafter')}
        canPublish={has(request, 'publisher')}
        canWithdraw={has(request, 'publisher', 'office_head')}
        canClear={has(request, 'reviewer') && requireStaff(request).reviewLevel === review.config.confidentialityLevel}
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
    try {
      await reviewItem(deps, staffActor(request), requireStaff(request).reviewLevel, id, parsed.data)
    } catch (e) {
      if (e instanceof AppError && e.code === 'invalid_input')
        return itemPage(request, reply, id, 422, { values: {}, errors: e.fields })
      throw e
    }
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
    const file = (
      request.body as
        { file?: { filename: string; toBuffer(): Promise<Buffer>; file: { truncated: boolean } } } | undefined
    )?.file
    if (!file || typeof file.toBuffer !== 'function')
      return itemPage(request, reply, id, 422, { values: {}, errors: { file: '请选择要上传的附件' } })
    const bytes = await file.toBuffer()
    if (file.file.truncated)
      return itemPage(request, reply, id, 422, { values: {}, errors: { file: '附件超过 10 MB' } })
    try {
      await addAttachment(deps, staffActor(request), id, file.filename, bytes)
    } catch (e) {
      if (e instanceof AppError && e.code === 'invalid_input')
        return itemPage(request, reply, id, 422, { values: {}, errors: e.fields })
      throw e
    }
    return reply.redirect(`/console/items/${id}?attached=1`, 303)
  })

  app.post('/console/items/:id/attachments/:attachmentId/delete', async (request, reply) => {
    const { id, attachmentId } = z
      .object({ id: z.coerce.number().int().positive(), attachmentId: z.coerce.number().int().positive() })
      .parse(request.params)
    await removeAttachment(deps, staffActor(request), id, attachmentId)
    return reply.redirect(`/console/items/${id}?saved=1`, 303)
  })

  app.get('/console/items/:id/attachments/:attachmentId', async (request, reply) => {
    const { id, attachmentId } = z
      .object({ id: z.coerce.number().int().positive(), attachmentId: z.coerce.number().int().positive() })
      .parse(request.params)
    await findOwnItem(deps, staffActor(request), id)
    const row = await findAttachment(deps.db, id, attachmentId)
    if (!row) throw new AppError('not_found', '附件不存在')
    return reply
      .header('content-type', row.content_type)
      .header('content-disposition', downloadDisposition(row.file_name))
      .header('content-security-policy', "sandbox; default-src 'none'")
      .send(readStoredFile(deps.config.dataDir, row.storage_key))
  })

  app.post('/console/items/:id/channels', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    const parsed = parseForm(
      z.object({
        channelId: z.coerce.number({ error: '请选择渠道' }).int().positive('请选择渠道'),
        publishedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '请填写发布日期'),
        link: z
          .string()
          .trim()
          .max(500)
          .refine((v) => v === '' || /^https?:\/\//.test(v), '链接应以 http:// 或 https:// 开头')
          .optional(),
      }),
      request.body,
    )
    if (!parsed.ok) return itemPage(request, reply, id, 422, parsed.form)
    try {
      await recordChannelPublication(
        deps,
        staffActor(request),
        id,
        parsed.data.channelId,
        parsed.data.publishedOn,
        parsed.data.link || null,
      )
    } catch (e) {
      if (e instanceof AppError && e.code === 'invalid_input')
        return itemPage(request, reply, id, 422, { values: parsed.data, errors: e.fields })
      throw e
    }
    return reply.redirect(`/console/items/${id}?recorded=1`, 303)
  })

  app.post('/console/items/:id/validity', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    const parsed = parseForm(
      z.object({
        validity: z.enum(['repealed', 'lapsed'], { error: '请选择废止或失效' }),
        on: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '请填写日期'),
      }),
      request.body,
    )
    if (!parsed.ok) return itemPage(request, reply, id, 422, parsed.form)
    try {
      await changeValidity(deps, staffActor(request), id, parsed.data.validity, parsed.data.on)
    } catch (e) {
      if (e instanceof AppError && e.code === 'invalid_input')
        return itemPage(request, reply, id, 422, { values: parsed.data, errors: e.fields })
      throw e
    }
    return reply.redirect(`/console/items/${id}?saved=1`, 303)
  })

  app.post('/console/items/:id/clear-findings', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    const parsed = parseForm(withdrawForm, request.body)
    if (!parsed.ok) return itemPage(request, reply, id, 422, parsed.form)
    await clearFindings(deps, staffActor(request), requireStaff(request).reviewLevel, id, parsed.data.reason)
    return reply.redirect(`/console/items/${id}?cleared=1`, 303)
  })

  app.post('/console/items/:id/schedule', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    const parsed = parseForm(
      z.object({ at: z.string().regex(/^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})?$/, '请选择发布时间') }),
      request.body,
    )
    if (!parsed.ok) return itemPage(request, reply, id, 422, parsed.form)
    try {
      // The time is chosen in Beijing time; an empty value cancels the schedule.
      await schedulePublication(
        deps,
        staffActor(request),
        id,
        parsed.data.at ? new Date(`${parsed.data.at}:00+08:00`).toISOString() : null,
      )
    } catch (e) {
      if (e instanceof AppError && e.code === 'invalid_input')
        return itemPage(request, reply, id, 422, { values: parsed.data, errors: e.fields })
      throw e
    }
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
