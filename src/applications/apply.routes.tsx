import { randomBytes } from 'node:crypto'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { downloadDisposition } from '../files/file-store.ts'
import { emptyForm, stringValue } from '../web/form.tsx'
import type { FormState } from '../web/form.tsx'
import { parseForm } from '../web/form-parse.ts'
import { attempt, pageContext, shownOnPage } from '../web/request-context.ts'
import { AppError } from '../errors.ts'
import { applicationForm } from './application.ts'
import { addApplicantFile } from './applicant.service.ts'
import { answerCorrection } from './correction-answer.service.ts'
import { explainDue } from './due-explanation.ts'
import { ApplyPage, SubmittedPage, TrackPage } from './apply.views.tsx'
import { findApplyingAgency, findSubmission, reusedKeyMessage, submitApplication } from './intake.service.ts'
import { letterFile, receiptPdf } from './letter.service.ts'
import { countHit } from '../security/shared-counters.ts'
import { defaultBits, issueChallenge, verifyProofOfWork } from './proof-of-work.ts'
import { findByTracking, publicStatus, secondCheck } from './tracking.service.ts'

// The citizen's side: the application form of each agency, the receipt, and the status page by
// tracking number and query code. Nothing here is cached, and nothing here shows personal data
// except the letters, which need a second check.

type MultipartField = {
  value?: string
  filename?: string
  toBuffer?: () => Promise<Buffer>
  file?: { truncated: boolean }
}

const idParam = z.object({ id: z.coerce.number().int().positive() })
const reusedKey = (e: AppError) => e.message === reusedKeyMessage

const trackForm = z.object({
  number: z.string({ error: '请填写申请编号' }).trim().min(1, '请填写申请编号').max(40),
  queryCode: z.string({ error: '请填写查询码' }).trim().min(1, '请填写查询码').max(40),
})
const letterForm = trackForm.extend({
  lastFour: z.string().trim().max(4).default(''),
  format: z.enum(['pdf', 'docx']).default('pdf'),
})

export function applyRoutes(app: FastifyInstance): void {
  const deps = app.deps
  const bits = defaultBits
  // Without the proof of work: at most 3 submissions per address per hour (counted in the database,
  // across processes), and each is flagged.
  const noScriptAllowed = async (address: string) =>
    (await countHit(deps, `apply.no_js|${address}`, 3600_000)).hits <= 3
  const submitLimit = { rateLimit: { max: deps.config.applyRateLimitPerHour, timeWindow: '1 hour' } }
  const trackLimit = { rateLimit: { max: 20, timeWindow: '10 minutes' } }

  // Agencies change rarely; the form reads its agency on every submission, so keep them 30 seconds.
  const agencies = new Map<number, { at: number; agency: { id: number; name: string } }>()
  const agencyOf = async (id: number) => {
    const hit = agencies.get(id)
    if (hit && Date.now() - hit.at < 30_000) return hit.agency
    const agency = await findApplyingAgency(deps, id)
    if (agencies.size > 1000) agencies.clear()
    agencies.set(id, { at: Date.now(), agency: { id: agency.id, name: agency.name } })
    return agency
  }
  const freshForm = (
    request: FastifyRequest,
    agency: { id: number; name: string },
    form: FormState,
    message?: string,
  ) =>
    ApplyPage({
      ctx: pageContext(request),
      agency,
      form,
      challenge: issueChallenge(deps.keys.session, deps.clock.now(), bits),
      idem: stringValue(form.values.idem) || randomBytes(16).toString('base64url'),
      ...(message ? { message } : {}),
    })

  app.get('/agencies/:id/apply', async (request, reply) => {
    const agency = await agencyOf(idParam.parse(request.params).id)
    reply.header('cache-control', 'no-store')
    return reply.page(200, freshForm(request, agency, emptyForm))
  })

  app.post('/agencies/:id/apply', { config: submitLimit }, async (request, reply) => {
    const agency = await agencyOf(idParam.parse(request.params).id)
    reply.header('cache-control', 'no-store')
    const body = { ...(request.body as Record<string, unknown>) }
    body.applicantKind = body.category === 'natural' ? 'person' : 'org'
    const parsed = parseForm(applicationForm, body)
    if (!parsed.ok) return reply.page(422, freshForm(request, agency, parsed.form))
    const idem = stringValue(body.idem)
    const idempotencyKey = /^[\w-]{16,64}$/.test(idem) ? `web:${idem}` : undefined
    let verdict = deps.config.applyProofOfWork
      ? await verifyProofOfWork(deps, stringValue(body.powChallenge), stringValue(body.powNonce))
      : 'ok'
    // A retry of a submission that went through (a reload resends the spent challenge) shows the
    // same receipt; a retry that gets past the check is answered from the stored one by the use case.
    // The same key with another application's content is refused (issue #14), with the input kept and
    // a fresh key, so that sending the form again makes a new application.
    const reused = (message: string) =>
      reply.page(422, freshForm(request, agency, { values: { ...body, idem: '' }, errors: {} }, message))
    const found =
      verdict !== 'ok' && idempotencyKey
        ? await attempt(() => findSubmission(deps, idempotencyKey, agency.id, parsed.data), reusedKey)
        : undefined
    if (found && !found.ok) return reused(found.error.message)
    const retry = found?.value
    if (retry) verdict = 'ok'
    const flags: string[] = []
    if (verdict === 'missing') {
      if (!(await noScriptAllowed(request.ip))) {
        return reply.page(
          429,
          freshForm(
            request,
            agency,
            { values: body, errors: {} },
            '提交过于频繁。请稍后再试，或开启浏览器的 JavaScript 后提交。',
          ),
        )
      }
      flags.push('no_js')
    } else if (verdict !== 'ok') {
      return reply.page(
        422,
        freshForm(request, agency, { values: body, errors: {} }, '安全校验未通过或已过期，请重新提交。'),
      )
    }
    const submitted = retry
      ? { ok: true as const, value: retry }
      : await attempt(
          () =>
            submitApplication(deps, request.actor, agency.id, parsed.data, {
              channel: 'online',
              flags,
              agencyChecked: true,
              // Looked up above, or left to the unique index: a raced or resent copy is found after its insert fails.
              ...(idempotencyKey ? { idempotencyKey, idempotencyChecked: true } : {}),
            }),
          reusedKey,
        )
    if (!submitted.ok) return reused(submitted.error.message)
    const result = submitted.value
    return reply.page(
      200,
      SubmittedPage({
        ctx: pageContext(request),
        agency: agency.name,
        number: result.number,
        queryCode: result.queryCode,
        receivedOn: result.receivedOn,
        due: result.due,
        dueProvisional: !!result.dueProvisional,
        // A new application has no steps yet: 20 working days from receipt (条例第三十三条).
        dueExplanation: result.due
          ? explainDue({ receivedOn: result.receivedOn, due: result.due, provisional: !!result.dueProvisional })
          : null,
        repeated: result.repeated,
      }),
    )
  })

  app.post('/apply/receipt', { config: trackLimit }, async (request, reply) => {
    const input = trackForm.safeParse(request.body)
    const found = input.success ? await findByTracking(deps, input.data.number, input.data.queryCode) : undefined
    if (!found || !input.success) throw new AppError('not_found', '申请编号或查询码不正确')
    const pdf = await receiptPdf(deps, found, input.data.queryCode.toUpperCase())
    return reply
      .type('application/pdf')
      .header('content-disposition', downloadDisposition(`申请回执-${found.number}.pdf`))
      .header('cache-control', 'no-store')
      .send(pdf)
  })

  // The e-mails to the applicant link here with the number (src/notify): it is filled in, the query code is not.
  app.get('/track', async (request, reply) => {
    reply.header('cache-control', 'no-store')
    const number = (request.query as { number?: unknown }).number
    const form =
      typeof number === 'string' && /^[A-Z0-9-]{1,40}$/.test(number) ? { values: { number }, errors: {} } : emptyForm
    return reply.page(200, TrackPage({ ctx: pageContext(request), form }))
  })

  // Both values are needed and a wrong pair gets the same answer whichever half was wrong.
  app.post('/track', { config: trackLimit }, async (request, reply) => {
    reply.header('cache-control', 'no-store')
    const parsed = parseForm(trackForm, request.body)
    if (!parsed.ok) return reply.page(422, TrackPage({ ctx: pageContext(request), form: parsed.form }))
    const found = await findByTracking(deps, parsed.data.number, parsed.data.queryCode)
    if (!found)
      return reply.page(
        422,
        TrackPage({
          ctx: pageContext(request),
          form: { values: { number: parsed.data.number }, errors: {} },
          message: '申请编号或查询码不正确。',
        }),
      )
    return reply.page(
      200,
      TrackPage({
        ctx: pageContext(request),
        form: { values: parsed.data, errors: {} },
        status: await publicStatus(deps, found),
      }),
    )
  })

  app.post('/track/files', { config: trackLimit }, async (request, reply) => {
    reply.header('cache-control', 'no-store')
    // Multipart fields arrive as { value } objects.
    const body = (request.body ?? {}) as Record<string, MultipartField | undefined>
    const number = String(body.number?.value ?? '')
    const queryCode = String(body.queryCode?.value ?? '')
    const found = number && queryCode ? await findByTracking(deps, number, queryCode) : undefined
    if (!found)
      return reply.page(
        422,
        TrackPage({ ctx: pageContext(request), form: emptyForm, message: '申请编号或查询码不正确。' }),
      )
    const values = { number, queryCode }
    const page = async (status: number, opts: { message?: string; notice?: string }) =>
      reply.page(
        status,
        TrackPage({
          ctx: pageContext(request),
          form: { values, errors: {} },
          status: await publicStatus(deps, found),
          ...opts,
        }),
      )
    const file = body.file
    if (!file?.toBuffer || !file.filename) return page(422, { message: '请选择要上传的文件。' })
    const bytes = await file.toBuffer()
    if (file.file?.truncated) return page(422, { message: '文件超过 10 MB。' })
    const name = file.filename
    const added = await attempt(() => addApplicantFile(deps, request.actor, found, name, bytes), shownOnPage)
    if (!added.ok) return page(422, { message: added.error.message })
    return page(200, { notice: '材料已上传。' })
  })

  // 条例第三十条: the applicant answers the pending 补正 online, with text and a file (the upload's
  // limits and checks); the answer is the corrected application's receipt.
  app.post('/track/correction', { config: trackLimit }, async (request, reply) => {
    reply.header('cache-control', 'no-store')
    const body = (request.body ?? {}) as Record<string, MultipartField | undefined>
    const number = String(body.number?.value ?? '')
    const queryCode = String(body.queryCode?.value ?? '')
    const found = number && queryCode ? await findByTracking(deps, number, queryCode) : undefined
    if (!found)
      return reply.page(
        422,
        TrackPage({ ctx: pageContext(request), form: emptyForm, message: '申请编号或查询码不正确。' }),
      )
    const text = String(body.text?.value ?? '')
    const values = { number, queryCode }
    const page = async (
      status: number,
      opts: {
        message?: string
        correctionMessage?: string
        notice?: string
        errors?: Readonly<Record<string, string>>
      },
    ) => {
      const fresh = await findByTracking(deps, number, queryCode)
      return reply.page(
        status,
        TrackPage({
          ctx: pageContext(request),
          form: { values, errors: {} },
          status: await publicStatus(deps, fresh ?? found),
          correctionForm: { values: { text }, errors: { ...opts.errors } },
          ...(opts.message ? { message: opts.message } : {}),
          ...(opts.correctionMessage ? { correctionMessage: opts.correctionMessage } : {}),
          ...(opts.notice ? { notice: opts.notice } : {}),
        }),
      )
    }
    const file = body.file
    let upload: { name: string; bytes: Buffer } | undefined
    if (file?.toBuffer && file.filename) {
      const bytes = await file.toBuffer()
      if (file.file?.truncated)
        return page(422, { correctionMessage: '文件超过 10 MB。', errors: { file: '文件超过 10 MB' } })
      if (bytes.length > 0) upload = { name: file.filename, bytes }
    }
    const done = await attempt(() => answerCorrection(deps, request.actor, found, { text, file: upload }), shownOnPage)
    if (!done.ok) {
      // No 补正 is pending (none asked for, or already answered): said above the status.
      if (done.error.code === 'invalid_transition') return page(409, { message: done.error.message })
      return page(422, { correctionMessage: done.error.message, errors: done.error.fields })
    }
    return page(200, { notice: '补正已提交。本机关收到补正之日起重新计算答复期限（条例第三十条）。' })
  })

  app.post('/track/letters/:id', { config: trackLimit }, async (request, reply) => {
    reply.header('cache-control', 'no-store')
    const letterId = idParam.parse(request.params).id
    const input = letterForm.safeParse(request.body)
    const found = input.success ? await findByTracking(deps, input.data.number, input.data.queryCode) : undefined
    if (!found || !input.success)
      return reply.page(
        422,
        TrackPage({ ctx: pageContext(request), form: emptyForm, message: '申请编号或查询码不正确。' }),
      )
    if (!secondCheck(deps, found, input.data.lastFour)) {
      return reply.page(
        422,
        TrackPage({
          ctx: pageContext(request),
          form: { values: input.data, errors: {} },
          status: await publicStatus(deps, found),
          letterMessage: '证件号码或电话后四位不正确。',
        }),
      )
    }
    const file = await letterFile(deps, found, letterId, input.data.format, 'applicant')
    return reply.type(file.type).header('content-disposition', downloadDisposition(file.name)).send(file.bytes)
  })
}
