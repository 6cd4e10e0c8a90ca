import { Csrf, ErrorSummary, Field, Notice, Select, stringValue } from '../web/form.tsx'
import type { FormState } from '../web/form.tsx'
import type { PageContext } from '../web/layout.tsx'
import { PortalLayout } from '../web/layout.tsx'
import {
  applicantCategoryLabels,
  deliveryWays,
  idTypes,
  outcomeLabel,
  statusLabels,
  wantedForms,
} from './application.ts'
import { chineseDate } from '../deadlines/statutory-clock.ts'
import { maxAnswerLength } from './correction-answer.service.ts'
import type { PendingCorrection } from './correction-answer.service.ts'
import { letterKinds } from './letter.ts'
import type { TrackStatus } from './tracking.service.ts'
import type { LetterKind } from './letter.ts'

// The citizen's pages: the application form of an agency, the receipt after submission, and the
// status page reached by tracking number and query code, with the letters and the upload form.

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

export function ApplyPage(props: {
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

const emptyState: FormState = { values: {}, errors: {} }

/** 条例第三十条: the 补正 asked for, by when, and the applicant's answer online (text and a file). */
function CorrectionAnswerForm(props: {
  ctx: PageContext
  number: string
  queryCode: string
  correction: PendingCorrection
  form: FormState
  message?: string | undefined
}) {
  const c = props.correction
  return (
    <section id="correction" aria-labelledby="correction-title">
      <h2 id="correction-title">需要您补正</h2>
      <p>本机关于 {c.askedOn} 通知您补正申请（条例第三十条），需要补正的事项：</p>
      <blockquote id="correction-what">{c.what}</blockquote>
      <p id="correction-by">
        {c.correctBy
          ? `请于${chineseDate(c.correctBy)}（含当日）前补正；逾期无正当理由未补正的，视为放弃申请（条例第三十条）。`
          : '请尽快补正；在合理期限内无正当理由不补正的，视为放弃申请（条例第三十条）。'}
        本机关收到补正之日即为收到补正后申请之日，答复期限自次日起重新计算。
      </p>
      <ErrorSummary form={props.form} message={props.message} />
      <form method="post" action="/track/correction" enctype="multipart/form-data" novalidate>
        <input type="hidden" name="_csrf" value={props.ctx.csrf} />
        <input type="hidden" name="number" value={props.number} />
        <input type="hidden" name="queryCode" value={props.queryCode} />
        <TextArea
          form={props.form}
          name="text"
          label="补正内容"
          hint={`写明补正后的申请内容，不超过 ${maxAnswerLength} 字；也可以只上传材料。`}
          rows={6}
        />
        <div class={props.form.errors.file ? 'field has-error' : 'field'}>
          <label for="f-correction-file">补正材料（可选：PDF、JPG、PNG，不超过 10 MB）</label>
          {props.form.errors.file && (
            <p class="error" id="e-correction-file">
              {props.form.errors.file}
            </p>
          )}
          <input
            id="f-correction-file"
            name="file"
            type="file"
            accept=".pdf,.jpg,.jpeg,.png"
            aria-describedby={props.form.errors.file ? 'e-correction-file' : undefined}
          />
        </div>
        <button type="submit">提交补正</button>
      </form>
    </section>
  )
}

export function SubmittedPage(props: {
  ctx: PageContext
  agency: string
  number: string
  /** Null on a repeat: the code was shown on the first answer and is not kept (issue #14). */
  queryCode: string | null
  receivedOn: string
  due: string | null
  dueProvisional: boolean
  /** When the agency must reply and why, in one line. */
  dueExplanation: string | null
  repeated: boolean
}) {
  return (
    <PortalLayout ctx={props.ctx} title="申请已提交">
      <h1>申请已提交</h1>
      {props.repeated && (
        <Notice kind="warn">
          这份申请此前已经提交成功，没有重复提交。查询码只在首次提交成功时显示一次，本平台不保存查询码原文，无法再次显示；
          如未记下，请凭申请编号联系{props.agency}。
        </Notice>
      )}
      <p>
        {props.agency}已收到您的政府信息公开申请，收到申请之日为 {props.receivedOn}。
      </p>
      {props.due && (
        <dl class="facts">
          <dt>答复期限</dt>
          <dd id="due">
            {props.due}
            {props.dueProvisional && '（暂定）'}
          </dd>
        </dl>
      )}
      {props.dueExplanation && <p id="due-explanation">{props.dueExplanation}</p>}
      <dl class="facts">
        <dt>申请编号</dt>
        <dd id="tracking-number">{props.number}</dd>
        {props.queryCode !== null && (
          <>
            <dt>查询码</dt>
            <dd id="query-code">{props.queryCode}</dd>
          </>
        )}
      </dl>
      {props.queryCode !== null && (
        <>
          <p>请记下申请编号和查询码：查询办理进度、下载答复文书时需要。查询码只在此处显示一次。</p>
          <form method="post" action="/apply/receipt">
            <Csrf token={props.ctx.csrf} />
            <input type="hidden" name="number" value={props.number} />
            <input type="hidden" name="queryCode" value={props.queryCode} />
            <button type="submit">下载申请回执（PDF）</button>
          </form>
          <UploadForm ctx={props.ctx} number={props.number} queryCode={props.queryCode} />
        </>
      )}
      <p>
        <a href="/track">查询办理进度</a>
      </p>
    </PortalLayout>
  )
}

export function TrackPage(props: {
  ctx: PageContext
  form: FormState
  message?: string | undefined
  letterMessage?: string | undefined
  notice?: string | undefined
  status?: TrackStatus | undefined
  /** The 补正 answer form as sent, when it is shown again with its errors. */
  correctionForm?: FormState | undefined
  correctionMessage?: string | undefined
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
                <dd id="due">
                  {s.due}
                  {s.dueProvisional && '（暂定）'}
                </dd>
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
          {s.dueExplanation && <p id="due-explanation">{s.dueExplanation}</p>}
          {s.correction && (
            <CorrectionAnswerForm
              ctx={props.ctx}
              number={s.number}
              queryCode={stringValue(props.form.values.queryCode)}
              correction={s.correction}
              form={props.correctionForm ?? emptyState}
              message={props.correctionMessage}
            />
          )}
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
