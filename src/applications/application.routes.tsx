import { takeApplication } from './assignment.service.ts'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { StaffActor } from '../audit/audit.ts'
import { CalendarMissing } from '../deadlines/calendar.ts'
import type { Deps } from '../deps.ts'
import { AppError } from '../errors.ts'
import { downloadDisposition } from '../files/file-store.ts'
import { sendTableIfAsked } from '../region/region.service.ts'
import type { FormState } from '../web/form.tsx'
import { emptyForm } from '../web/form.tsx'
import { parseForm } from '../web/form-parse.ts'
import { dateFilter, pageParam, textFilter } from '../web/pager.tsx'
import { attempt, pageContext, requireStaff, shownOnPage, staffActor, statusOf } from '../web/request-context.ts'
import type { ApplicantDetails } from './application.ts'
import { applicationForm, queues, registrationForm, shanghaiDate } from './application.ts'
import {
  applicationView,
  approveExtension,
  concludeWithoutCorrection,
  concludeWithoutFee,
  notifyFee,
  receiveCorrection,
  recordConsultationReply,
  recordFeeNoticeReceipt,
  recordFeePaid,
  requestCorrection,
  sendConsultation,
  setDelay,
} from './application.service.ts'
import { ApplicationPage } from './application.views.tsx'
import { QueuePage, RegionApplicationsPage, RegisterPage } from './queue.views.tsx'
import { readApplicantFile, revealApplicant } from './applicant.service.ts'
import { decideApplication, recordDelivery, requestReasons, withdrawApplication } from './decision.service.ts'
import { submitApplication } from './intake.service.ts'
import { editLetter, issueLetter, staffLetterFile } from './letter.service.ts'
import type { LetterInput } from './letter-editor.views.tsx'
import { agencyQueue, regionQueue } from './queue.service.ts'

// The handler's console: queues by due date, registration of applications received other than
// online, one page per application and the steps taken on it, and the supervising office's view.

const idParam = z.object({ id: z.coerce.number().int().positive() })
const fileParam = z.object({ id: z.coerce.number().int().positive(), fileId: z.coerce.number().int().positive() })
const letterParam = z.object({
  id: z.coerce.number().int().positive(),
  letterId: z.coerce.number().int().positive(),
  format: z.enum(['pdf', 'docx']).optional(),
})
const queueQuery = z.object({ queue: z.enum(queues).catch('open'), page: pageParam })

/** The queue's tab, filters and page from the address; a malformed filter is named, not obeyed. */
function queueFilterOf(query: unknown) {
  const q = (query ?? {}) as Record<string, unknown>
  const from = dateFilter(q.from, '收到日期（起）')
  const to = dateFilter(q.to, '收到日期（止）')
  const problems = [from.problem, to.problem].filter((p): p is string => !!p)
  const reversed = from.value && to.value && from.value > to.value
  if (reversed) problems.push('收到日期（起）不能晚于收到日期（止）。')
  const filter = {
    number: textFilter(q.number, 30),
    name: textFilter(q.name, 30),
    from: reversed ? undefined : from.value,
    to: reversed ? undefined : to.value,
  }
  // The boxes show what was typed, even when it could not be used.
  const typed = { number: filter.number, name: filter.name, from: textFilter(q.from, 20), to: textFilter(q.to, 20) }
  return { ...queueQuery.parse(q), filter, typed, problems }
}

const date = (error: string) => z.string({ error }).regex(/^\d{4}-\d{2}-\d{2}$/, error)
const optionalDate = z
  .string()
  .regex(/^(\d{4}-\d{2}-\d{2})?$/, '日期格式应为 YYYY-MM-DD')
  .optional()
  .transform((v) => v || undefined)
const onDate = z.object({
  on: z.string({ error: '请填写日期' }).regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD'),
})

/** A step's form parsed into its own type, ready to run; or the form again with its errors. */
type ParsedStep = { ok: true; run: () => Promise<unknown> } | { ok: false; form: FormState }
type Step = (deps: Deps, actor: StaffActor, id: number, body: unknown) => ParsedStep

/** Ties a step's zod schema to its use case, so the use case receives exactly what the schema yields. */
function step<S extends z.ZodType>(
  form: S,
  run: (deps: Deps, actor: StaffActor, id: number, input: z.output<S>) => Promise<unknown>,
): Step {
  return (deps, actor, id, body) => {
    const parsed = parseForm(form, body)
    return parsed.ok ? { ok: true, run: () => run(deps, actor, id, parsed.data) } : { ok: false, form: parsed.form }
  }
}

const steps = {
  correction: step(
    onDate.extend({
      correctBy: date('请填写补正期限'),
      what: z.string({ error: '请写明需要补正的事项' }).trim().min(1, '请写明需要补正的事项').max(1000),
    }),
    requestCorrection,
  ),
  'correction-received': step(onDate, receiveCorrection),
  'no-correction': step(onDate, concludeWithoutCorrection),
  consultation: step(
    onDate.extend({
      party: z.enum(['thirdParty', 'agency'], { error: '请选择对象' }),
      to: z.string({ error: '请填写征求意见的对象' }).trim().min(1, '请填写征求意见的对象').max(200),
    }),
    sendConsultation,
  ),
  'consultation-reply': step(
    onDate.extend({ ref: z.coerce.number().int().positive(), opinion: z.string().trim().max(2000).default('') }),
    recordConsultationReply,
  ),
  extension: step(
    onDate.extend({
      days: z.coerce
        .number({ error: '请填写天数' })
        .int('请填写整数')
        .min(1, '至少 1 个工作日')
        .max(20, '不超过 20 个工作日'),
      reason: z.string({ error: '请写明延期理由' }).trim().min(1, '请写明延期理由').max(500),
    }),
    approveExtension,
  ),
  fee: step(
    onDate.extend({
      method: z.enum(['piece', 'volume'], { error: '请选择计收方式' }),
      pages: z
        .string()
        .optional()
        .transform((v) => (v ? Number(v) : undefined)),
      delivery: z.enum(['electronic', 'post', 'in_person'], { error: '请选择送达方式' }),
      receivedByApplicantOn: optionalDate,
    }),
    (deps, actor, id, { on, method, pages, delivery, receivedByApplicantOn }) =>
      notifyFee(deps, actor, id, {
        on,
        method,
        delivery,
        ...(pages ? { pages } : {}),
        ...(receivedByApplicantOn ? { receivedByApplicantOn } : {}),
      }),
  ),
  'fee-receipt': step(onDate, recordFeeNoticeReceipt),
  'fee-paid': step(onDate, recordFeePaid),
  'no-fee': step(onDate, concludeWithoutFee),
  reasons: step(onDate, requestReasons),
  delay: step(
    onDate.extend({
      until: date('请填写延迟答复期限'),
      reason: z.string({ error: '请写明理由' }).trim().min(1, '请写明理由').max(500),
    }),
    setDelay,
  ),
  decide: step(
    onDate.extend({
      outcome: z.string({ error: '请选择答复结果' }).min(1, '请选择答复结果'),
      replyType: z.string({ error: '请选择答复类型' }).min(1, '请选择答复类型'),
      basis: z.string().trim().max(2000).default(''),
      relatedNumber: z.string().trim().max(40).optional(),
      queryLaw: z.string().trim().max(200).default(''),
      queryOffice: z.string().trim().max(300).default(''),
      responsibleAgency: z.string().trim().max(100).default(''),
      responsibleContact: z.string().trim().max(200).default(''),
      withheldBasis: z.string().trim().max(20).default(''),
      confirmNoConsultation: z
        .string()
        .optional()
        .transform((v) => v === 'yes'),
    }),
    (deps, actor, id, { relatedNumber, ...input }) =>
      decideApplication(deps, actor, id, { ...input, ...(relatedNumber ? { relatedNumber } : {}) }),
  ),
  deliver: step(
    onDate.extend({
      method: z.enum(['direct', 'entrusted', 'post', 'email', 'online'], { error: '请选择送达方式' }),
    }),
    recordDelivery,
  ),
  withdraw: step(onDate, withdrawApplication),
} satisfies Record<string, Step>
type Action = keyof typeof steps
const isAction = (action: string): action is Action => Object.hasOwn(steps, action)

const actionNotices: Record<Action, string> = {
  correction: '已发出补正通知，补正期间不计时；补正告知书草稿已生成。',
  'correction-received': '已记录收到补正，答复期限重新起算。',
  'no-correction': '已办结：逾期未补正。',
  consultation: '已记录征求意见，期间不计入答复期限。',
  'consultation-reply': '已记录答复。',
  extension: '已批准延期，延长答复期限告知书草稿已生成；告知书印发后延期方生效（条例第三十三条第二款）。',
  fee: '已发出收费通知，收费通知书草稿已生成。',
  'fee-receipt': '已记录收费通知送达，缴费期限自申请人收到之次日起计算。',
  'fee-paid': '已记录缴费。',
  'no-fee': '已办结：逾期未缴费。',
  reasons: '已记录要求说明理由。',
  delay: '已确定延迟答复期限。',
  decide: '已作出答复，答复书草稿已生成，请核对后印发。',
  deliver: '已记录送达。',
  withdraw: '已记录撤回。',
}

type PageOptions = {
  form?: FormState
  message?: string
  notice?: string
  revealed?: ApplicantDetails
  action?: string
  letterInput?: LetterInput
}

export function applicationRoutes(app: FastifyInstance): void {
  const deps = app.deps

  const registeredCookie = 'gk_registered'
  const registeredAad = (id: number) => `registration:${id}:query_code`
  /** What the page says after a registration: the query code, once, from the sealed cookie. */
  const registeredNotice = (request: FastifyRequest, reply: FastifyReply, id: number) => {
    const sealed = request.cookies[registeredCookie]
    let code: string | undefined
    try {
      code = sealed ? deps.fields.decrypt(sealed, registeredAad(id)) : undefined
    } catch {
      code = undefined
    }
    if (sealed) reply.clearCookie(registeredCookie, { path: '/console/applications' })
    return code
      ? `已登记。查询码：${code}。请告知申请人或写入回执：查询码只在此显示一次，平台不保存其原文。`
      : '已登记。查询码只在登记后显示一次，平台不保存其原文。'
  }

  const showApplication = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    status: number,
    opts: PageOptions = {},
  ) => {
    const view = await applicationView(deps, staffActor(request), id, opts.revealed)
    const page = ApplicationPage({
      ...view,
      ctx: pageContext(request),
      form: opts.form ?? emptyForm,
      action: opts.action,
      message: opts.message,
      notice: opts.notice,
      letterInput: opts.letterInput,
    })
    return reply.page(status, page)
  }

  app.get('/console/applications', async (request, reply) => {
    const { queue, page, filter, typed, problems } = queueFilterOf(request.query)
    const view = await agencyQueue(deps, staffActor(request), queue, { ...filter, page })
    return reply.page(
      problems.length ? 422 : 200,
      QueuePage({ ctx: pageContext(request), queue, filter: typed, problems, ...view }),
    )
  })

  const registerPage = (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    form: FormState,
    message?: string,
  ) => reply.page(status, RegisterPage({ ctx: pageContext(request), form, message }))

  app.get('/console/applications/new', async (request, reply) =>
    registerPage(request, reply, 200, { values: { receivedOn: shanghaiDate(deps.clock.now()) }, errors: {} }),
  )

  app.post('/console/applications', async (request, reply) => {
    const body = { ...(request.body as Record<string, unknown>) }
    body.applicantKind = body.category === 'natural' ? 'person' : 'org'
    const channel = parseForm(registrationForm, body)
    const parsed = parseForm(applicationForm, body)
    if (!channel.ok || !parsed.ok) {
      return registerPage(request, reply, 422, {
        values: body,
        errors: { ...(channel.ok ? {} : channel.form.errors), ...(parsed.ok ? {} : parsed.form.errors) },
      })
    }
    const meta = { channel: channel.data.channel, receivedOn: channel.data.receivedOn }
    const agencyId = requireStaff(request).agencyId
    const r = await attempt(() => submitApplication(deps, request.actor, agencyId, parsed.data, meta))
    if (!r.ok) return registerPage(request, reply, 422, { values: body, errors: r.error.fields }, r.error.message)
    // The query code is kept only as a hash (issue #14), so the page after the redirect shows it once
    // from a sealed cookie: encrypted and bound to the application, short-lived, read once and cleared.
    if (r.value.queryCode)
      reply.setCookie(registeredCookie, deps.fields.encrypt(r.value.queryCode, registeredAad(r.value.id)), {
        path: '/console/applications',
        httpOnly: true,
        sameSite: 'strict',
        secure: deps.config.secureCookies,
        maxAge: 600,
      })
    return reply.redirect(`/console/applications/${r.value.id}?registered=1`, 303)
  })

  app.get('/console/applications/:id', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    const q = request.query as { done?: string; registered?: string }
    const notice = q.registered
      ? registeredNotice(request, reply, id)
      : q.done && isAction(q.done)
        ? actionNotices[q.done]
        : undefined
    return showApplication(request, reply, id, 200, notice ? { notice } : {})
  })

  // 领办: a handler takes an unassigned application, from the 工作台 or from the application's page.
  app.post('/console/applications/:id/take', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    const taken = await attempt(() => takeApplication(deps, staffActor(request), id), shownOnPage)
    if (!taken.ok)
      return showApplication(request, reply, id, statusOf[taken.error.code], { message: taken.error.message })
    const back =
      (request.body as { back?: string }).back === 'console' ? '/console?taken=1' : `/console/applications/${id}`
    return reply.redirect(back, 303)
  })

  app.post('/console/applications/:id/reveal', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    const revealed = await attempt(
      () => revealApplicant(deps, staffActor(request), id),
      (e) => e.code === 'forbidden',
    )
    if (!revealed.ok) return showApplication(request, reply, id, 403, { message: revealed.error.message })
    return showApplication(request, reply, id, 200, { revealed: revealed.value })
  })

  app.post('/console/applications/:id/letters/:letterId', async (request, reply) => {
    const { id, letterId } = letterParam.parse(request.params)
    const body = request.body as { body?: string; do?: string }
    const text = String(body.body ?? '')
    // 预览: the letter as it would be issued with the text as typed; nothing is saved (issue #12).
    if (body.do === 'preview')
      return showApplication(request, reply, id, 200, { letterInput: { id: letterId, body: text } })
    const saved = await attempt(async () => {
      await editLetter(deps, staffActor(request), id, letterId, text)
      if (body.do === 'issue') await issueLetter(deps, staffActor(request), id, letterId)
    }, shownOnPage)
    if (!saved.ok)
      return showApplication(request, reply, id, statusOf[saved.error.code], {
        message: saved.error.message,
        letterInput: { id: letterId, body: text, error: saved.error.fields?.body },
      })
    return showApplication(request, reply, id, 200, {
      notice: body.do === 'issue' ? '文书已印发，申请人可在查询页下载。' : '文书已保存。',
    })
  })

  app.get('/console/applications/:id/files/:fileId', async (request, reply) => {
    const { id, fileId } = fileParam.parse(request.params)
    const file = await readApplicantFile(deps, staffActor(request), id, fileId)
    return reply
      .header('content-type', file.type)
      .header('content-disposition', downloadDisposition(file.name))
      .header('content-security-policy', "sandbox; default-src 'none'")
      .send(file.bytes)
  })

  app.get('/console/applications/:id/letters/:letterId/:format', async (request, reply) => {
    const { id, letterId, format } = letterParam.parse(request.params)
    const file = await staffLetterFile(deps, staffActor(request), id, letterId, format ?? 'pdf')
    return reply.type(file.type).header('content-disposition', downloadDisposition(file.name)).send(file.bytes)
  })

  app.post('/console/applications/:id/:action', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    const action = (request.params as { action: string }).action
    if (!isAction(action)) throw new AppError('not_found', '没有这项操作')
    const parsed = steps[action](deps, staffActor(request), id, request.body)
    if (!parsed.ok) return showApplication(request, reply, id, 422, { form: parsed.form, action })
    try {
      await parsed.run()
    } catch (e) {
      if (e instanceof AppError && e.code !== 'not_found')
        return showApplication(request, reply, id, statusOf[e.code], {
          form: { values: request.body as Record<string, unknown>, errors: e.fields },
          message: e.message,
          action,
        })
      if (e instanceof CalendarMissing) return showApplication(request, reply, id, 409, { message: e.message })
      throw e
    }
    return reply.redirect(`/console/applications/${id}?done=${action}`, 303)
  })

  // The supervising office: every agency's overdue and due-soon applications.
  app.get('/console/region/applications', async (request, reply) => {
    const region = await regionQueue(deps)
    const header = ['机关', '办理中', '已逾期', '5个工作日内到期']
    const rows = region.agencies.map((a) => [a.name, a.open, a.overdue, a.soon])
    if (await sendTableIfAsked(request, reply, '区域依申请公开', header, rows)) return reply
    return reply.page(200, RegionApplicationsPage({ ctx: pageContext(request), ...region }))
  })
}
