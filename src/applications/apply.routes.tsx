import { randomBytes } from 'node:crypto'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { findAgencyById } from '../agencies/agency.store.ts'
import { AppError } from '../errors.ts'
import { downloadDisposition } from '../files/file-store.ts'
import { Csrf, ErrorSummary, Field, Notice, Select, emptyForm, stringValue } from '../web/form.tsx'
import type { FormState } from '../web/form.tsx'
import { parseForm } from '../web/form-parse.ts'
import type { PageContext } from '../web/layout.tsx'
import { PortalLayout } from '../web/layout.tsx'
import { letterFile, receiptPdf } from './letter.service.ts'
import { letterKinds } from './letter.ts'
import type { LetterKind } from './letter.ts'
import { AddressLimit, defaultBits, issueChallenge, ProofOfWork } from './proof-of-work.ts'
import {
  applicantCategoryLabels,
  applicationForm,
  deliveryWays,
  idTypes,
  outcomeLabel,
  statusLabels,
  wantedForms,
} from './application.ts'
import {
  addApplicantFile,
  findByTracking,
  findSubmission,
  publicStatus,
  secondCheck,
  submitApplication,
} from './application.service.ts'
import type { PublicStatus } from './application.service.ts'
import { pageContext } from '../web/request-context.ts'

// The citizen's side: the application form of each agency, the receipt, and the status page by
// tracking number and query code. Nothing here is cached, and nothing here shows personal data
// except the letters, which need a second check.

const idParam = z.object({ id: z.coerce.number().int().positive() })
const options = (labels: Record<string, string>) => Object.entries(labels).map(([value, label]) => ({ value, label }))

function TextArea(props: {
  form: FormState
  name: string
  label: string
  hint?: string
  required?: boolean
  rows?: number
}) {
  const error = props.form.errors[props.name]
  const describedBy = [props.hint ? `h-${props.name}` : '', error ? `e-${props.name}` : ''].filter(Boolean).join(' ')
  return (
    <div class={error ? 'field has-error' : 'field'}>
      <label for={`f-${props.name}`}>
        {props.label}
        {props.required && <span class="req">（必填）</span>}
      </label>
      {props.hint && (
        <p class="hint" id={`h-${props.name}`}>
          {props.hint}
        </p>
      )}
      {error && (
        <p class="error" id={`e-${props.name}`}>
          {error}
        </p>
      )}
      <textarea
        id={`f-${props.name}`}
        name={props.name}
        rows={props.rows ?? 5}
        required={props.required}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy || undefined}
      >
        {stringValue(props.form.values[props.name])}
      </textarea>
    </div>
  )
}

function ApplyPage(props: {
  ctx: PageContext
  agency: { id: number; name: string }
  form: FormState
  challenge: string
  idem: string
  message?: string
}) {
  const f = props.form
  return (
    <PortalLayout ctx={props.ctx} title={`向${props.agency.name}申请政府信息公开`} scripts={['/assets/pow.js']}>
      <h1>政府信息公开申请表</h1>
      <p>
        受理机关：{props.agency.name}
        。依据《中华人民共和国政府信息公开条例》第二十九条，申请须写明申请人的姓名或者名称、身份证明、联系方式，所需信息的名称、文号或者便于查询的其他特征性描述，以及获取信息的方式。无需说明申请用途。
      </p>
      <p>本机关自收到申请之日起 20 个工作日内答复；您提交后会得到申请编号和查询码，可凭其查询办理进度。</p>
      <ErrorSummary form={f} message={props.message} />
      <form method="post" action={`/agencies/${props.agency.id}/apply`} novalidate data-pow="1">
        <Csrf token={props.ctx.csrf} />
        <input type="hidden" name="idem" value={props.idem} />
        <input type="hidden" name="powChallenge" value={props.challenge} />
        <input type="hidden" name="powNonce" value="" />
        <fieldset>
          <legend>申请人信息</legend>
          <Select form={f} name="category" label="申请人类型" options={options(applicantCategoryLabels)} required />
          <Field form={f} name="name" label="姓名或组织名称" autocomplete="name" required />
          <Select
            form={f}
            name="idType"
            label="身份证件类型（自然人必填；组织填写经办人的证件，可不填）"
            options={options(idTypes)}
          />
          <Field form={f} name="idNumber" label="身份证件号码" hint="居民身份证号码将核对出生日期和校验码" />
          <Field form={f} name="creditCode" label="统一社会信用代码（组织必填）" />
          <Field form={f} name="contactPerson" label="联系人姓名（组织必填）" />
          <Field form={f} name="phone" label="联系电话" type="tel" autocomplete="tel" required />
          <Field form={f} name="email" label="电子邮箱" type="email" autocomplete="email" />
          <Field form={f} name="address" label="通信地址" autocomplete="street-address" required />
          <Field form={f} name="postcode" label="邮政编码" autocomplete="postal-code" inputmode="numeric" />
        </fieldset>
        <fieldset>
          <legend>所需信息</legend>
          <Field form={f} name="infoTitle" label="信息名称" />
          <Field form={f} name="infoDocNumber" label="文号" />
          <TextArea
            form={f}
            name="infoDescription"
            label="所需信息的内容描述"
            hint="请尽量写明信息的名称、文号、时间、事项等特征，便于查找"
            required
          />
          <Select form={f} name="wantedForm" label="所需信息的形式" options={options(wantedForms)} required />
          <Select form={f} name="deliveryWay" label="获取信息的方式" options={options(deliveryWays)} required />
          <div class="field">
            <input
              type="checkbox"
              id="f-needsAssistance"
              name="needsAssistance"
              checked={f.values.needsAssistance === 'on'}
            />
            <label for="f-needsAssistance">我有阅读困难或者视听障碍，需要帮助（条例第四十三条）</label>
          </div>
        </fieldset>
        <p id="pow-status" role="status" aria-live="polite"></p>
        <button type="submit">提交申请</button>
      </form>
    </PortalLayout>
  )
}

function UploadForm(props: { ctx: PageContext; number: string; queryCode: string }) {
  return (
    <form method="post" action="/track/files" enctype="multipart/form-data" class="upload">
      <h2>补充材料</h2>
      <p>
        如需提交身份证明复印件、授权委托书等材料，可在此上传（PDF、JPG、PNG，每份不超过 10 MB，最多 5
        份）。材料只供办理本申请使用，不会公开。
      </p>
      <input type="hidden" name="_csrf" value={props.ctx.csrf} />
      <input type="hidden" name="number" value={props.number} />
      <input type="hidden" name="queryCode" value={props.queryCode} />
      <label for="f-file">选择文件</label>
      <input id="f-file" name="file" type="file" accept=".pdf,.jpg,.jpeg,.png" />
      <button type="submit">上传材料</button>
    </form>
  )
}

function SubmittedPage(props: {
  ctx: PageContext
  agency: string
  number: string
  queryCode: string
  receivedOn: string
  due: string | null
  repeated: boolean
}) {
  return (
    <PortalLayout ctx={props.ctx} title="申请已提交">
      <h1>申请已提交</h1>
      {props.repeated && (
        <Notice kind="warn">这份申请此前已经提交成功，以下是它的申请编号和查询码（没有重复提交）。</Notice>
      )}
      <p>
        {props.agency}已收到您的政府信息公开申请，收到申请之日为 {props.receivedOn}
        {props.due && <>，答复期限（按目前情况）至 {props.due}</>}。
      </p>
      <dl class="facts">
        <dt>申请编号</dt>
        <dd id="tracking-number">{props.number}</dd>
        <dt>查询码</dt>
        <dd id="query-code">{props.queryCode}</dd>
      </dl>
      <p>请记下申请编号和查询码：查询办理进度、下载答复文书时需要。查询码只在此处显示一次。</p>
      <form method="post" action="/apply/receipt">
        <Csrf token={props.ctx.csrf} />
        <input type="hidden" name="number" value={props.number} />
        <input type="hidden" name="queryCode" value={props.queryCode} />
        <button type="submit">下载申请回执（PDF）</button>
      </form>
      <UploadForm ctx={props.ctx} number={props.number} queryCode={props.queryCode} />
      <p>
        <a href="/track">查询办理进度</a>
      </p>
    </PortalLayout>
  )
}

function TrackPage(props: {
  ctx: PageContext
  form: FormState
  message?: string | undefined
  status?: PublicStatus | undefined
  letterMessage?: string | undefined
  notice?: string | undefined
}) {
  const s = props.status
  return (
    <PortalLayout ctx={props.ctx} title="申请查询">
      <h1>政府信息公开申请查询</h1>
      {!s && (
        <>
          <ErrorSummary form={props.form} message={props.message} />
          <form method="post" action="/track" novalidate>
            <Csrf token={props.ctx.csrf} />
            <Field form={props.form} name="number" label="申请编号" required />
            <Field form={props.form} name="queryCode" label="查询码" keep={false} required />
            <button type="submit">查询</button>
          </form>
        </>
      )}
      {s && (
        <>
          {props.notice && <Notice>{props.notice}</Notice>}
          {props.message && <Notice kind="warn">{props.message}</Notice>}
          <dl class="facts">
            <dt>申请编号</dt>
            <dd>{s.number}</dd>
            <dt>办理状态</dt>
            <dd id="status">{statusLabels[s.status as keyof typeof statusLabels] ?? s.status}</dd>
            <dt>收到申请之日</dt>
            <dd>{s.receivedOn}</dd>
            {s.due && (
              <>
                <dt>答复期限</dt>
                <dd id="due">{s.due}</dd>
              </>
            )}
            {s.outcome && (
              <>
                <dt>答复结果</dt>
                <dd id="outcome">
                  {outcomeLabel(s.outcome)}（{s.decidedOn}）
                </dd>
              </>
            )}
          </dl>
          <h2>办理过程</h2>
          <ol class="timeline">
            {s.steps.map((st) => (
              <li>
                <time>{st.on}</time> {st.text}
              </li>
            ))}
          </ol>
          <h2>答复文书</h2>
          {s.letters.length === 0 ? (
            <p>暂无已印发的文书。</p>
          ) : (
            <>
              <p>文书含有个人信息。下载前请输入申请时填写的身份证件号码或联系电话的后四位。</p>
              {props.letterMessage && <Notice kind="warn">{props.letterMessage}</Notice>}
              {s.letters.map((l) => (
                <form method="post" action={`/track/letters/${l.id}`} class="letter-download">
                  <Csrf token={props.ctx.csrf} />
                  <input type="hidden" name="number" value={s.number} />
                  <input type="hidden" name="queryCode" value={stringValue(props.form.values.queryCode)} />
                  <p>
                    {letterKinds[l.kind as LetterKind] ?? l.kind}（{l.issuedOn}）
                  </p>
                  <label for={`last4-${l.id}`}>证件号码或电话后四位</label>
                  <input id={`last4-${l.id}`} name="lastFour" maxLength={4} autocomplete="off" required />
                  <button type="submit" name="format" value="pdf">
                    下载 PDF
                  </button>
                  <button type="submit" name="format" value="docx">
                    下载 DOCX
                  </button>
                </form>
              ))}
            </>
          )}
          {s.status !== 'concluded' && (
            <UploadForm ctx={props.ctx} number={s.number} queryCode={stringValue(props.form.values.queryCode)} />
          )}
        </>
      )}
    </PortalLayout>
  )
}

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
  const pow = new ProofOfWork(deps.keys.session)
  const bits = defaultBits
  // Without the proof of work: at most 3 submissions per address per hour, and each is flagged.
  const noScriptLimit = new AddressLimit(3, 3600_000)
  const submitLimit = { rateLimit: { max: deps.config.applyRateLimitPerHour, timeWindow: '1 hour' } }
  const trackLimit = { rateLimit: { max: 20, timeWindow: '10 minutes' } }

  // Agencies change rarely; the form reads its agency on every submission, so keep them 30 seconds.
  const agencies = new Map<number, { at: number; agency: { id: number; name: string } }>()
  const agencyOf = async (id: number) => {
    const hit = agencies.get(id)
    if (hit && Date.now() - hit.at < 30_000) return hit.agency
    const agency = await findAgencyById(deps.db, id)
    if (!agency) throw new AppError('not_found', '机关不存在')
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
      ? pow.verify(stringValue(body.powChallenge), stringValue(body.powNonce), deps.clock.now())
      : 'ok'
    // A retry of a submission that went through (a reload resends the spent challenge) shows the
    // same receipt; a retry that gets past the check is answered from the stored one by the use case.
    const retry = verdict !== 'ok' && idempotencyKey ? await findSubmission(deps, idempotencyKey) : undefined
    if (retry) verdict = 'ok'
    const flags: string[] = []
    if (verdict === 'missing') {
      if (!noScriptLimit.take(request.ip, Date.now())) {
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
    const result =
      retry ??
      (await submitApplication(deps, request.actor, agency.id, parsed.data, {
        channel: 'online',
        flags,
        agencyChecked: true,
        ...(idempotencyKey ? { idempotencyKey, idempotencyChecked: true } : {}),
      }))
    return reply.page(
      200,
      SubmittedPage({
        ctx: pageContext(request),
        agency: agency.name,
        number: result.number,
        queryCode: result.queryCode,
        receivedOn: result.receivedOn,
        due: result.due,
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

  app.get('/track', async (request, reply) => {
    reply.header('cache-control', 'no-store')
    return reply.page(200, TrackPage({ ctx: pageContext(request), form: emptyForm }))
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
    const body = (request.body ?? {}) as Record<
      string,
      { value?: string; filename?: string; toBuffer?: () => Promise<Buffer>; file?: { truncated: boolean } } | undefined
    >
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
    try {
      await addApplicantFile(deps, request.actor, found, file.filename, bytes)
    } catch (e) {
      if (e instanceof AppError && e.code !== 'not_found') return page(422, { message: e.message })
      throw e
    }
    return page(200, { notice: '材料已上传。' })
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
    const file = await letterFile(deps, found, letterId, input.data.format, true)
    return reply.type(file.type).header('content-disposition', downloadDisposition(file.name)).send(file.bytes)
  })
}
