import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { listAgencies } from '../agencies/agency.store.ts'
import { addWorkingDays, CalendarMissing } from '../deadlines/calendar.ts'
import { loadCalendar } from '../deadlines/calendar.store.ts'
import { AppError } from '../errors.ts'
import { downloadDisposition } from '../files/file-store.ts'
import { Csrf, ErrorSummary, Field, Notice, Select, emptyForm, stringValue } from '../web/form.tsx'
import type { FormState } from '../web/form.tsx'
import { parseForm } from '../web/form-parse.ts'
import type { PageContext } from '../web/layout.tsx'
import { ConsoleLayout } from '../web/layout.tsx'
import { sendTableIfAsked } from '../region/region.service.ts'
import { editLetter, issueLetter, letterFile, listLetters } from './letter.service.ts'
import {
  applicantCategoryLabels,
  applicationForm,
  channels,
  deliveryWays,
  idTypes,
  outcomeLabel,
  outcomeOptions,
  receiptRule,
  registrationForm,
  replyTypes,
  statusLabels,
  wantedForms,
} from './application.ts'
import type { ApplicantDetails } from './application.service.ts'
import {
  approveExtension,
  clockOrProblem,
  concludeWithoutCorrection,
  listApplicantFiles,
  readApplicantFile,
  concludeWithoutFee,
  decideApplication,
  deliveryMethods,
  findOwnApplication,
  listEvents,
  maskedApplicant,
  notifyFee,
  receiveCorrection,
  recordConsultationReply,
  recordDelivery,
  recordFeePaid,
  requestCorrection,
  requestReasons,
  revealApplicant,
  sendConsultation,
  setDelay,
  shanghaiDate,
  submitApplication,
  withdrawApplication,
} from './application.service.ts'
import type { ApplicationRow } from '../storage/database.ts'
import type { ClockState } from '../deadlines/statutory-clock.ts'
import { pageContext, staffActor, requireStaff, statusOf } from '../web/request-context.ts'

// The handler's console: queues by due date, registration of applications received on paper, in
// person, by mail, fax, e-mail or orally, and one page per application with its clock explained
// step by step, its timeline, its letters and the next steps the law allows.

const idParam = z.object({ id: z.coerce.number().int().positive() })
const letterParam = z.object({
  id: z.coerce.number().int().positive(),
  letterId: z.coerce.number().int().positive(),
  format: z.enum(['pdf', 'docx']).optional(),
})
const flagLabels: Record<string, string> = {
  no_js: '未经浏览器安全校验提交，请留意',
  possible_repeat: '可能是重复申请（同一申请人此前已答复的相似申请）',
  frequent: '同一申请人近 30 日申请较多（条例第三十五条）',
}
const eventLabels: Record<string, string> = {
  received: '收到申请',
  correction_requested: '发出补正通知',
  correction_received: '收到补正',
  concluded_no_correction: '逾期未补正，不再处理',
  consultation_sent: '征求意见',
  consultation_replied: '收到意见',
  extension_approved: '批准延期',
  fee_notified: '发出收费通知',
  fee_paid: '已缴费',
  concluded_no_fee: '逾期未缴费，不再处理',
  delay_set: '确定延迟答复期限',
  reasons_requested: '要求说明理由',
  decided: '作出答复',
  delivered: '送达',
  withdrawn: '申请人撤回',
}
const options = (labels: Record<string, string>) => Object.entries(labels).map(([value, label]) => ({ value, label }))

type Queue = 'overdue' | 'soon' | 'open' | 'correction' | 'concluded' | 'all'
const queueLabels: Record<Queue, string> = {
  overdue: '已逾期',
  soon: '5 个工作日内到期',
  open: '办理中',
  correction: '等待补正',
  concluded: '已办结',
  all: '全部',
}

function DateField(props: { form: FormState; name: string; label: string; today: string; idSuffix?: string }) {
  const value = stringValue(props.form.values[props.name]) || props.today
  return (
    <Field
      form={{ values: { ...props.form.values, [props.name]: value }, errors: props.form.errors }}
      name={props.name}
      label={props.label}
      type="date"
      required
      idSuffix={props.idSuffix}
    />
  )
}

function ActionForm(props: {
  ctx: PageContext
  id: number
  action: string
  title: string
  button: string
  children?: preact.ComponentChildren
}) {
  return (
    <form
      method="post"
      action={`/console/applications/${props.id}/${props.action}`}
      class="action"
      aria-label={props.title}
    >
      <Csrf token={props.ctx.csrf} />
      <h3>{props.title}</h3>
      {props.children}
      <button type="submit">{props.button}</button>
    </form>
  )
}

function ApplicationPage(props: {
  ctx: PageContext
  app: ApplicationRow
  applicant: ApplicantDetails
  revealed: boolean
  clock: ClockState | null
  problem: string | null
  events: Awaited<ReturnType<typeof listEvents>>
  letters: Awaited<ReturnType<typeof listLetters>>
  files: Awaited<ReturnType<typeof listApplicantFiles>>
  personal: boolean
  form: FormState
  action?: string | undefined
  message?: string | undefined
  notice?: string | undefined
  isHead: boolean
  today: string
}) {
  const { app, clock, form, today } = props
  // A failed step keeps its input and shows its errors in its own form only.
  const formOf = (action: string) => (action === props.action ? form : emptyForm)
  const flags = JSON.parse(app.flags ?? '[]') as string[]
  const open = app.status !== 'concluded'
  const openConsultations = props.events.filter(
    (e) =>
      e.kind === 'consultation_sent' &&
      !props.events.some((r) => r.kind === 'consultation_replied' && Number(r.detail.ref) === e.id),
  )
  const feeOpen =
    props.events.some((e) => e.kind === 'fee_notified') && !props.events.some((e) => e.kind === 'fee_paid')
  return (
    <ConsoleLayout ctx={props.ctx} title={`申请 ${app.number}`}>
      <h1>政府信息公开申请 {app.number}</h1>
      {props.notice && <Notice>{props.notice}</Notice>}
      <ErrorSummary form={form} message={props.message} idSuffix={props.action} />
      {flags.map((f) => (
        <Notice kind="warn">{flagLabels[f] ?? f}</Notice>
      ))}
      {props.problem && <Notice kind="warn">答复期限暂无法计算：{props.problem}</Notice>}
      <dl class="facts">
        <dt>状态</dt>
        <dd id="status">
          {statusLabels[app.status as keyof typeof statusLabels]}
          {clock?.pausedSince && open && `（自 ${clock.pausedSince} 起计时暂停）`}
        </dd>
        <dt>渠道</dt>
        <dd>{channels[app.channel as keyof typeof channels] ?? app.channel}</dd>
        <dt>收到申请之日</dt>
        <dd>
          {app.received_on}（{receiptRule[app.channel as keyof typeof receiptRule] ?? ''}）
        </dd>
        <dt>答复期限</dt>
        <dd id="due">
          {open
            ? clock
              ? (clock.due ?? '补正期间不计时')
              : '待定（缺少节假日安排）'
            : `已办结（${app.concluded_on}）`}
        </dd>
        {app.outcome && (
          <>
            <dt>答复结果</dt>
            <dd id="outcome">{outcomeLabel(app.outcome)}</dd>
          </>
        )}
        {app.delivered_on && (
          <>
            <dt>送达</dt>
            <dd>
              {deliveryMethods[app.delivered_method as keyof typeof deliveryMethods]} {app.delivered_on}，
              {app.on_time ? '按期' : '逾期'}
            </dd>
          </>
        )}
        {app.fee_amount ? (
          <>
            <dt>信息处理费</dt>
            <dd>
              {app.fee_amount} 元（{app.fee_method === 'piece' ? '按件' : '按量'}）
            </dd>
          </>
        ) : null}
      </dl>
      <h2>申请人{props.revealed ? '（完整信息，已记录查看）' : '（已脱敏）'}</h2>
      <dl class="facts">
        <dt>类型</dt>
        <dd>{applicantCategoryLabels[app.applicant_category as keyof typeof applicantCategoryLabels]}</dd>
        <dt>姓名或名称</dt>
        <dd id="applicant-name">{props.applicant.name}</dd>
        {props.applicant.contactPerson && (
          <>
            <dt>联系人</dt>
            <dd>{props.applicant.contactPerson}</dd>
          </>
        )}
        <dt>证件</dt>
        <dd>
          {app.id_type ? idTypes[app.id_type as keyof typeof idTypes] : ''} {props.applicant.idNumber}
          {app.credit_code && `统一社会信用代码 ${app.credit_code}`}
        </dd>
        <dt>电话</dt>
        <dd>{props.applicant.phone}</dd>
        {props.applicant.email && (
          <>
            <dt>电子邮箱</dt>
            <dd>{props.applicant.email}</dd>
          </>
        )}
        <dt>地址</dt>
        <dd>{props.applicant.address}</dd>
        {app.needs_assistance ? (
          <>
            <dt>需要帮助</dt>
            <dd>有阅读困难或视听障碍（条例第四十三条）</dd>
          </>
        ) : null}
      </dl>
      {!props.revealed && (
        <form method="post" action={`/console/applications/${app.id}/reveal`}>
          <Csrf token={props.ctx.csrf} />
          <button type="submit" class="link-button">
            查看完整个人信息（仅承办人和负责人，将记录审计）
          </button>
        </form>
      )}
      <h2>申请内容</h2>
      <dl class="facts">
        {app.info_title && (
          <>
            <dt>信息名称</dt>
            <dd>{app.info_title}</dd>
          </>
        )}
        {app.info_doc_number && (
          <>
            <dt>文号</dt>
            <dd>{app.info_doc_number}</dd>
          </>
        )}
        <dt>内容描述</dt>
        <dd>{app.info_description}</dd>
        <dt>所需形式</dt>
        <dd>
          {wantedForms[app.wanted_form as keyof typeof wantedForms]}，
          {deliveryWays[app.delivery_way as keyof typeof deliveryWays]}
        </dd>
      </dl>
      <h2>申请人提交的材料</h2>
      {props.files.length > 0 && !props.personal ? (
        <p>共 {props.files.length} 份，仅本申请的承办人和公开办负责人可以查看。</p>
      ) : props.files.length === 0 ? (
        <p>无。</p>
      ) : (
        <ul>
          {props.files.map((f) => (
            <li>
              <a href={`/console/applications/${app.id}/files/${f.id}`}>{f.file_name}</a>（{Math.ceil(f.size / 1024)}{' '}
              KB，查看将记录审计）
            </li>
          ))}
        </ul>
      )}
      <h2>答复期限的计算</h2>
      {clock && (
        <ol class="timeline" id="clock-steps">
          {clock.steps.map((s) => (
            <li>
              <time>{s.on}</time> {s.text}
              {s.due && (
                <>
                  ，期限至 <strong>{s.due}</strong>
                </>
              )}
            </li>
          ))}
        </ol>
      )}
      {clock && <p>补正通知应于 {clock.correctionNoticeBy} 前发出（条例第三十条）。</p>}
      <h2>办理记录</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">日期</th>
            <th scope="col">事项</th>
            <th scope="col">经办人</th>
          </tr>
        </thead>
        <tbody>
          {props.events.map((e) => (
            <tr>
              <td>{e.on}</td>
              <td>
                {eventLabels[e.kind] ?? e.kind}
                {e.detail.outcome ? `：${outcomeLabel(String(e.detail.outcome))}` : ''}
                {e.detail.to ? `：${String(e.detail.to)}` : ''}
              </td>
              <td>{e.actorName}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>文书</h2>
      {!props.personal && props.letters.length > 0 && (
        <p>文书含有申请人的个人信息，仅本申请的承办人和公开办负责人可以查看。</p>
      )}
      {props.letters.length === 0 ? (
        <p>暂无文书。</p>
      ) : !props.personal ? null : (
        props.letters.map((l) => (
          <section class="letter" aria-label={l.title}>
            <h3>
              {l.title}（{l.status === 'issued' ? `已印发 ${l.issuedOn}` : '草稿'}）
            </h3>
            {l.status === 'draft' ? (
              <form method="post" action={`/console/applications/${app.id}/letters/${l.id}`}>
                <Csrf token={props.ctx.csrf} />
                <label for={`letter-${l.id}`}>文书内容（每段一行，可修改）</label>
                <textarea id={`letter-${l.id}`} name="body" rows={10}>
                  {l.body}
                </textarea>
                <button type="submit" name="do" value="save">
                  保存修改
                </button>
                <button type="submit" name="do" value="issue">
                  印发
                </button>
              </form>
            ) : (
              <pre class="letter-text">{l.body}</pre>
            )}
            <p>
              <a href={`/console/applications/${app.id}/letters/${l.id}/pdf`}>下载 PDF</a> ·{' '}
              <a href={`/console/applications/${app.id}/letters/${l.id}/docx`}>下载 DOCX</a>
            </p>
          </section>
        ))
      )}
      {open && <h2>办理</h2>}
      {open && app.status === 'correction' && (
        <>
          <ActionForm
            ctx={props.ctx}
            id={app.id}
            action="correction-received"
            title="收到补正后的申请"
            button="记录收到补正"
          >
            <DateField
              idSuffix="correction-received"
              form={formOf('correction-received')}
              name="on"
              label="收到补正之日"
              today={today}
            />
          </ActionForm>
          <ActionForm ctx={props.ctx} id={app.id} action="no-correction" title="逾期未补正" button="视为放弃，不再处理">
            <DateField
              idSuffix="no-correction"
              form={formOf('no-correction')}
              name="on"
              label="办结日期"
              today={today}
            />
          </ActionForm>
        </>
      )}
      {open && app.status === 'open' && (
        <>
          {!props.events.some((e) => e.kind === 'correction_requested') && (
            <ActionForm
              ctx={props.ctx}
              id={app.id}
              action="correction"
              title="补正（一次性告知）"
              button="发出补正通知"
            >
              <DateField idSuffix="correction" form={formOf('correction')} name="on" label="通知日期" today={today} />
              <Field
                idSuffix="correction"
                form={formOf('correction')}
                name="correctBy"
                label="补正期限"
                type="date"
                required
              />
              <Field idSuffix="correction" form={formOf('correction')} name="what" label="需要补正的事项" required />
            </ActionForm>
          )}
          <ActionForm
            ctx={props.ctx}
            id={app.id}
            action="consultation"
            title="征求意见（期间不计入答复期限）"
            button="记录发出征求意见"
          >
            <DateField idSuffix="consultation" form={formOf('consultation')} name="on" label="发出日期" today={today} />
            <Select
              idSuffix="consultation"
              form={formOf('consultation')}
              name="party"
              label="对象"
              options={[
                { value: 'thirdParty', label: '第三方（条例第三十二条）' },
                { value: 'agency', label: '其他机关（条例第三十四条）' },
              ]}
              required
            />
            <Field
              idSuffix="consultation"
              form={formOf('consultation')}
              name="to"
              label="征求意见的对象名称"
              required
            />
          </ActionForm>
          {openConsultations.map((c) => (
            <ActionForm
              ctx={props.ctx}
              id={app.id}
              action="consultation-reply"
              title={`收到${String(c.detail.to)}的意见`}
              button="记录答复"
            >
              <input type="hidden" name="ref" value={String(c.id)} />
              <DateField
                idSuffix={`reply-${c.id}`}
                form={formOf('consultation-reply')}
                name="on"
                label="收到答复之日"
                today={today}
              />
              <Field idSuffix={`reply-${c.id}`} form={formOf('consultation-reply')} name="opinion" label="意见摘要" />
            </ActionForm>
          ))}
          {props.isHead && !props.events.some((e) => e.kind === 'extension_approved') && (
            <ActionForm
              ctx={props.ctx}
              id={app.id}
              action="extension"
              title="延长答复期限（负责人同意）"
              button="批准延期"
            >
              <DateField idSuffix="extension" form={formOf('extension')} name="on" label="批准日期" today={today} />
              <Field
                idSuffix="extension"
                form={formOf('extension')}
                name="days"
                label="延长工作日数（不超过 20）"
                inputmode="numeric"
                required
              />
              <Field idSuffix="extension" form={formOf('extension')} name="reason" label="延期理由" required />
            </ActionForm>
          )}
          {!app.fee_method && (
            <ActionForm
              ctx={props.ctx}
              id={app.id}
              action="fee"
              title="收取信息处理费（国办函〔2020〕109号）"
              button="发出收费通知"
            >
              <DateField idSuffix="fee" form={formOf('fee')} name="on" label="通知日期" today={today} />
              <Select
                idSuffix="fee"
                form={formOf('fee')}
                name="method"
                label="计收方式（二者只能选一）"
                options={[
                  { value: 'piece', label: '按件计收（本月第 11 件起）' },
                  { value: 'volume', label: '按量计收（超过 30 页）' },
                ]}
                required
              />
              <Field
                idSuffix="fee"
                form={formOf('fee')}
                name="pages"
                label="页数（按量计收时填写）"
                inputmode="numeric"
              />
            </ActionForm>
          )}
          {feeOpen && (
            <>
              <ActionForm ctx={props.ctx} id={app.id} action="fee-paid" title="申请人已缴费" button="记录缴费">
                <DateField idSuffix="fee-paid" form={formOf('fee-paid')} name="on" label="缴费日期" today={today} />
              </ActionForm>
              <ActionForm ctx={props.ctx} id={app.id} action="no-fee" title="逾期未缴费" button="视为放弃，不再处理">
                <DateField idSuffix="no-fee" form={formOf('no-fee')} name="on" label="办结日期" today={today} />
              </ActionForm>
            </>
          )}
          <ActionForm
            ctx={props.ctx}
            id={app.id}
            action="reasons"
            title="要求说明理由（条例第三十五条）"
            button="记录已要求说明理由"
          >
            <DateField idSuffix="reasons" form={formOf('reasons')} name="on" label="日期" today={today} />
          </ActionForm>
          {props.isHead && (
            <ActionForm
              ctx={props.ctx}
              id={app.id}
              action="delay"
              title="确定延迟答复的合理期限（条例第三十五条）"
              button="确定期限并告知"
            >
              <DateField idSuffix="delay" form={formOf('delay')} name="on" label="告知日期" today={today} />
              <Field idSuffix="delay" form={formOf('delay')} name="until" label="延迟答复期限" type="date" required />
              <Field idSuffix="delay" form={formOf('delay')} name="reason" label="理由" required />
            </ActionForm>
          )}
          <ActionForm ctx={props.ctx} id={app.id} action="decide" title="作出答复" button="作出答复">
            <DateField idSuffix="decide" form={formOf('decide')} name="on" label="答复日期" today={today} />
            <Select
              idSuffix="decide"
              form={formOf('decide')}
              name="outcome"
              label="答复结果（年度报告分类）"
              options={outcomeOptions
                .filter((o) => o.code !== 'OTHER_NO_CORRECTION' && o.code !== 'OTHER_NO_FEE')
                .map((o) => ({ value: o.code, label: o.label }))}
              required
            />
            <Select
              idSuffix="decide"
              form={formOf('decide')}
              name="replyType"
              label="答复类型（条例第三十六条）"
              options={options(replyTypes)}
              required
            />
            <Field
              idSuffix="decide"
              form={formOf('decide')}
              name="basis"
              label="依据的条款和理由（不予公开、部分公开必填）"
            />
            <Field
              idSuffix="decide"
              form={formOf('decide')}
              name="relatedNumber"
              label="重复申请：此前已答复的申请编号"
            />
          </ActionForm>
          <ActionForm ctx={props.ctx} id={app.id} action="withdraw" title="申请人撤回申请" button="记录撤回">
            <DateField idSuffix="withdraw" form={formOf('withdraw')} name="on" label="撤回日期" today={today} />
          </ActionForm>
        </>
      )}
      {app.status === 'concluded' && app.decided_on && !app.delivered_on && (
        <ActionForm
          ctx={props.ctx}
          id={app.id}
          action="deliver"
          title="送达（国办公开办函〔2016〕235号）"
          button="记录送达"
        >
          <Select
            idSuffix="deliver"
            form={formOf('deliver')}
            name="method"
            label="送达方式"
            options={options(deliveryMethods)}
            required
          />
          <DateField
            idSuffix="deliver"
            form={formOf('deliver')}
            name="on"
            label="签收日期（邮寄为交邮日期）"
            today={today}
          />
        </ActionForm>
      )}
    </ConsoleLayout>
  )
}

const onDate = z.object({
  on: z.string({ error: '请填写日期' }).regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD'),
})
const actionForms = {
  correction: onDate.extend({
    correctBy: z.string({ error: '请填写补正期限' }).regex(/^\d{4}-\d{2}-\d{2}$/, '请填写补正期限'),
    what: z.string({ error: '请写明需要补正的事项' }).trim().min(1, '请写明需要补正的事项').max(1000),
  }),
  'correction-received': onDate,
  'no-correction': onDate,
  consultation: onDate.extend({
    party: z.enum(['thirdParty', 'agency'], { error: '请选择对象' }),
    to: z.string({ error: '请填写征求意见的对象' }).trim().min(1, '请填写征求意见的对象').max(200),
  }),
  'consultation-reply': onDate.extend({
    ref: z.coerce.number().int().positive(),
    opinion: z.string().trim().max(2000).default(''),
  }),
  extension: onDate.extend({
    days: z.coerce
      .number({ error: '请填写天数' })
      .int('请填写整数')
      .min(1, '至少 1 个工作日')
      .max(20, '不超过 20 个工作日'),
    reason: z.string({ error: '请写明延期理由' }).trim().min(1, '请写明延期理由').max(500),
  }),
  fee: onDate.extend({
    method: z.enum(['piece', 'volume'], { error: '请选择计收方式' }),
    pages: z
      .string()
      .optional()
      .transform((v) => (v ? Number(v) : undefined)),
  }),
  'fee-paid': onDate,
  'no-fee': onDate,
  reasons: onDate,
  delay: onDate.extend({
    until: z.string({ error: '请填写延迟答复期限' }).regex(/^\d{4}-\d{2}-\d{2}$/, '请填写延迟答复期限'),
    reason: z.string({ error: '请写明理由' }).trim().min(1, '请写明理由').max(500),
  }),
  decide: onDate.extend({
    outcome: z.string({ error: '请选择答复结果' }).min(1, '请选择答复结果'),
    replyType: z.string({ error: '请选择答复类型' }).min(1, '请选择答复类型'),
    basis: z.string().trim().max(2000).default(''),
    relatedNumber: z.string().trim().max(40).optional(),
  }),
  deliver: onDate.extend({
    method: z.enum(['direct', 'entrusted', 'post', 'email', 'online'], { error: '请选择送达方式' }),
  }),
  withdraw: onDate,
} as const
type Action = keyof typeof actionForms

const actionNotices: Record<Action, string> = {
  correction: '已发出补正通知，补正期间不计时；补正告知书草稿已生成。',
  'correction-received': '已记录收到补正，答复期限重新起算。',
  'no-correction': '已办结：逾期未补正。',
  consultation: '已记录征求意见，期间不计入答复期限。',
  'consultation-reply': '已记录答复。',
  extension: '已批准延期，延期答复告知书草稿已生成。',
  fee: '已发出收费通知，收费通知书草稿已生成。',
  'fee-paid': '已记录缴费。',
  'no-fee': '已办结：逾期未缴费。',
  reasons: '已记录要求说明理由。',
  delay: '已确定延迟答复期限。',
  decide: '已作出答复，答复书草稿已生成，请核对后印发。',
  deliver: '已记录送达。',
  withdraw: '已记录撤回。',
}

export function requestRoutes(app: FastifyInstance): void {
  const deps = app.deps
  const isHead = (request: FastifyRequest) => requireStaff(request).roles.includes('office_head')

  const showApplication = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    status: number,
    opts: { form?: FormState; message?: string; notice?: string; revealed?: ApplicantDetails; action?: string } = {},
  ) => {
    const row = await findOwnApplication(deps, staffActor(request), id)
    const today = shanghaiDate(deps.clock.now())
    return reply.page(
      status,
      ApplicationPage({
        ctx: pageContext(request),
        app: row,
        applicant: opts.revealed ?? maskedApplicant(deps, row),
        revealed: !!opts.revealed,
        ...(await clockOrProblem(deps, deps.db, row)),
        events: await listEvents(deps.db, id),
        letters: await listLetters(deps, deps.db, row),
        files: await listApplicantFiles(deps.db, id),
        personal: row.handler_id === requireStaff(request).id || isHead(request),
        form: opts.form ?? emptyForm,
        action: opts.action,
        message: opts.message,
        notice: opts.notice,
        isHead: isHead(request),
        today,
      }),
    )
  }

  app.get('/console/applications', async (request, reply) => {
    const q = z
      .object({ queue: z.enum(['overdue', 'soon', 'open', 'correction', 'concluded', 'all']).catch('open') })
      .parse(request.query)
    const today = shanghaiDate(deps.clock.now())
    let soonBy = today
    let calendarProblem: string | undefined
    try {
      soonBy = addWorkingDays(await loadCalendar(deps.db), today, 5)
    } catch (e) {
      if (e instanceof CalendarMissing) calendarProblem = e.message
      else throw e
    }
    let rows = deps.db
      .selectFrom('applications')
      .selectAll()
      .where('agency_id', '=', requireStaff(request).agencyId)
      .where('status', 'is not', null)
    if (q.queue === 'overdue') rows = rows.where('status', '!=', 'concluded').where('due_on', '<', today)
    if (q.queue === 'soon')
      rows = rows.where('status', '!=', 'concluded').where('due_on', '>=', today).where('due_on', '<=', soonBy)
    if (q.queue === 'open') rows = rows.where('status', '=', 'open')
    if (q.queue === 'correction') rows = rows.where('status', '=', 'correction')
    if (q.queue === 'concluded') rows = rows.where('status', '=', 'concluded')
    const list = await rows.orderBy('due_on').orderBy('id', 'desc').limit(500).execute()
    return reply.page(
      200,
      <ConsoleLayout ctx={pageContext(request)} title="依申请公开">
        <h1>依申请公开</h1>
        {calendarProblem && <Notice kind="warn">{calendarProblem}</Notice>}
        <p>
          <a class="button" href="/console/applications/new">
            登记收到的申请
          </a>
        </p>
        <nav aria-label="队列">
          <ul class="nav">
            {(Object.keys(queueLabels) as Queue[]).map((k) => (
              <li>
                {k === q.queue ? (
                  <strong aria-current="page">{queueLabels[k]}</strong>
                ) : (
                  <a href={`/console/applications?queue=${k}`}>{queueLabels[k]}</a>
                )}
              </li>
            ))}
          </ul>
        </nav>
        <table>
          <caption>
            {queueLabels[q.queue]}（{list.length} 件）
          </caption>
          <thead>
            <tr>
              <th scope="col">申请编号</th>
              <th scope="col">申请人</th>
              <th scope="col">收到日期</th>
              <th scope="col">答复期限</th>
              <th scope="col">状态</th>
              <th scope="col">所需信息</th>
            </tr>
          </thead>
          <tbody>
            {list.map((a) => (
              <tr class={a.status !== 'concluded' && a.due_on && a.due_on < today ? 'overdue' : undefined}>
                <td>
                  <a href={`/console/applications/${a.id}`}>{a.number}</a>
                </td>
                <td>{a.applicant_name_masked}</td>
                <td>{a.received_on}</td>
                <td>
                  {a.status === 'concluded'
                    ? '—'
                    : (a.due_on ?? (a.status === 'correction' ? '补正中' : '待定（缺少节假日安排）'))}
                  {a.status !== 'concluded' && a.due_on && a.due_on < today && '（已逾期）'}
                  {a.paused_since && a.status !== 'concluded' && '（暂停）'}
                </td>
                <td>
                  {a.status === 'concluded'
                    ? outcomeLabel(a.outcome ?? '')
                    : statusLabels[a.status as keyof typeof statusLabels]}
                </td>
                <td>{(a.info_title ?? a.info_description ?? '').slice(0, 40)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ConsoleLayout>,
    )
  })

  const registerPage = (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    form: FormState,
    message?: string,
  ) =>
    reply.page(
      status,
      <ConsoleLayout ctx={pageContext(request)} title="登记申请">
        <h1>登记收到的政府信息公开申请</h1>
        <p>
          当面、邮寄、传真、电子邮件或口头提出的申请在此登记。收到申请之日按条例第三十一条确定：当面提交为提交之日；邮寄为签收之日；平信为电话确认之日；传真、电子邮件为双方确认之日；口头申请由工作人员代为填写。
        </p>
        <ErrorSummary form={form} message={message} />
        <form method="post" action="/console/applications" novalidate>
          <Csrf token={pageContext(request).csrf} />
          <Select
            form={form}
            name="channel"
            label="收到申请的渠道"
            options={Object.entries(channels)
              .filter(([k]) => k !== 'online')
              .map(([value, label]) => ({ value, label }))}
            required
          />
          <Field form={form} name="receivedOn" label="收到申请之日" type="date" required />
          <Select form={form} name="category" label="申请人类型" options={options(applicantCategoryLabels)} required />
          <Field form={form} name="name" label="姓名或组织名称" required />
          <Select form={form} name="idType" label="身份证件类型" options={options(idTypes)} />
          <Field form={form} name="idNumber" label="身份证件号码" />
          <Field form={form} name="creditCode" label="统一社会信用代码（组织）" />
          <Field form={form} name="contactPerson" label="联系人（组织）" />
          <Field form={form} name="phone" label="联系电话" required />
          <Field form={form} name="email" label="电子邮箱" />
          <Field form={form} name="address" label="通信地址" required />
          <Field form={form} name="postcode" label="邮政编码" />
          <Field form={form} name="infoTitle" label="信息名称" />
          <Field form={form} name="infoDocNumber" label="文号" />
          <Field form={form} name="infoDescription" label="所需信息的内容描述" required />
          <Select form={form} name="wantedForm" label="所需信息的形式" options={options(wantedForms)} required />
          <Select form={form} name="deliveryWay" label="获取信息的方式" options={options(deliveryWays)} required />
          <button type="submit">登记</button>
        </form>
      </ConsoleLayout>,
    )

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
    try {
      const r = await submitApplication(deps, request.actor, requireStaff(request).agencyId, parsed.data, {
        channel: channel.data.channel,
        receivedOn: channel.data.receivedOn,
      })
      return reply.redirect(`/console/applications/${r.id}?registered=1`, 303)
    } catch (e) {
      if (e instanceof AppError && e.code === 'invalid_input')
        return registerPage(request, reply, 422, { values: body, errors: e.fields }, e.message)
      throw e
    }
  })

  app.get('/console/applications/:id', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    const q = request.query as { done?: string; registered?: string }
    const notice = q.registered
      ? '已登记。请把申请编号和查询码告知申请人（查询码见回执）。'
      : q.done && q.done in actionNotices
        ? actionNotices[q.done as Action]
        : undefined
    return showApplication(request, reply, id, 200, notice ? { notice } : {})
  })

  app.post('/console/applications/:id/reveal', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    try {
      return await showApplication(request, reply, id, 200, {
        revealed: await revealApplicant(deps, staffActor(request), id),
      })
    } catch (e) {
      if (e instanceof AppError && e.code === 'forbidden')
        return showApplication(request, reply, id, 403, { message: e.message })
      throw e
    }
  })

  app.post('/console/applications/:id/letters/:letterId', async (request, reply) => {
    const { id, letterId } = letterParam.parse(request.params)
    const body = request.body as { body?: string; do?: string }
    try {
      await editLetter(deps, staffActor(request), id, letterId, String(body.body ?? ''))
      if (body.do === 'issue') await issueLetter(deps, staffActor(request), id, letterId)
      return await showApplication(request, reply, id, 200, {
        notice: body.do === 'issue' ? '文书已印发，申请人可在查询页下载。' : '文书已保存。',
      })
    } catch (e) {
      if (e instanceof AppError && e.code !== 'not_found')
        return showApplication(request, reply, id, statusOf[e.code], { message: e.message })
      throw e
    }
  })

  app.get('/console/applications/:id/files/:fileId', async (request, reply) => {
    const { id, fileId } = z
      .object({ id: z.coerce.number().int().positive(), fileId: z.coerce.number().int().positive() })
      .parse(request.params)
    const file = await readApplicantFile(deps, staffActor(request), id, fileId)
    return reply
      .header('content-type', file.type)
      .header('content-disposition', downloadDisposition(file.name))
      .header('content-security-policy', "sandbox; default-src 'none'")
      .send(file.bytes)
  })

  app.get('/console/applications/:id/letters/:letterId/:format', async (request, reply) => {
    const { id, letterId, format } = letterParam.parse(request.params)
    const row = await findOwnApplication(deps, staffActor(request), id)
    if (row.handler_id !== requireStaff(request).id && !isHead(request))
      throw new AppError('forbidden', '文书含有个人信息，仅本申请的承办人和公开办负责人可以下载')
    const file = await letterFile(deps, row, letterId, format ?? 'pdf', false)
    return reply.type(file.type).header('content-disposition', downloadDisposition(file.name)).send(file.bytes)
  })

  app.post('/console/applications/:id/:action', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    const action = (request.params as { action: string }).action
    if (!(action in actionForms)) throw new AppError('not_found', '没有这项操作')
    const a = action as Action
    const parsed = parseForm(actionForms[a], request.body)
    if (!parsed.ok) return showApplication(request, reply, id, 422, { form: parsed.form, action: a })
    const s = staffActor(request)
    const d = parsed.data as Record<string, unknown> & { on: string }
    try {
      switch (a) {
        case 'correction':
          await requestCorrection(deps, s, id, { on: d.on, correctBy: String(d.correctBy), what: String(d.what) })
          break
        case 'correction-received':
          await receiveCorrection(deps, s, id, { on: d.on })
          break
        case 'no-correction':
          await concludeWithoutCorrection(deps, s, id, { on: d.on })
          break
        case 'consultation':
          await sendConsultation(deps, s, id, { on: d.on, party: d.party as 'thirdParty' | 'agency', to: String(d.to) })
          break
        case 'consultation-reply':
          await recordConsultationReply(deps, s, id, { on: d.on, ref: Number(d.ref), opinion: String(d.opinion) })
          break
        case 'extension':
          await approveExtension(deps, s, id, { on: d.on, days: Number(d.days), reason: String(d.reason) })
          break
        case 'fee':
          await notifyFee(deps, s, id, {
            on: d.on,
            method: d.method as 'piece' | 'volume',
            ...(d.pages ? { pages: Number(d.pages) } : {}),
          })
          break
        case 'fee-paid':
          await recordFeePaid(deps, s, id, { on: d.on })
          break
        case 'no-fee':
          await concludeWithoutFee(deps, s, id, { on: d.on })
          break
        case 'reasons':
          await requestReasons(deps, s, id, { on: d.on })
          break
        case 'delay':
          await setDelay(deps, s, id, { on: d.on, until: String(d.until), reason: String(d.reason) })
          break
        case 'decide':
          await decideApplication(deps, s, id, {
            on: d.on,
            outcome: String(d.outcome),
            replyType: String(d.replyType),
            basis: String(d.basis ?? ''),
            ...(d.relatedNumber ? { relatedNumber: String(d.relatedNumber) } : {}),
          })
          break
        case 'deliver':
          await recordDelivery(deps, s, id, { on: d.on, method: d.method as keyof typeof deliveryMethods })
          break
        case 'withdraw':
          await withdrawApplication(deps, s, id, { on: d.on })
          break
      }
    } catch (e) {
      if (e instanceof AppError && e.code !== 'not_found')
        return showApplication(request, reply, id, statusOf[e.code], {
          form: { values: request.body as Record<string, unknown>, errors: e.fields },
          message: e.message,
          action: a,
        })
      if (e instanceof CalendarMissing) return showApplication(request, reply, id, 409, { message: e.message })
      throw e
    }
    return reply.redirect(`/console/applications/${id}?done=${a}`, 303)
  })

  // The supervising office: every agency's overdue and due-soon applications.
  app.get('/console/region/applications', async (request, reply) => {
    const today = shanghaiDate(deps.clock.now())
    const agencies = await listAgencies(deps.db)
    const rows = await deps.db
      .selectFrom('applications')
      .select(['agency_id', 'number', 'received_on', 'due_on', 'status', 'applicant_name_masked'])
      .where('status', 'in', ['open', 'correction'])
      .orderBy('due_on')
      .execute()
    let soonBy = today
    try {
      soonBy = addWorkingDays(await loadCalendar(deps.db), today, 5)
    } catch (e) {
      if (!(e instanceof CalendarMissing)) throw e
    }
    const name = new Map(agencies.map((a) => [a.id, a.name]))
    const tableRows = agencies.map((a) => {
      const mine = rows.filter((r) => r.agency_id === a.id)
      return [
        a.name,
        mine.length,
        mine.filter((r) => r.due_on && r.due_on < today).length,
        mine.filter((r) => r.due_on && r.due_on >= today && r.due_on <= soonBy).length,
      ]
    })
    if (
      await sendTableIfAsked(
        request,
        reply,
        '区域依申请公开',
        ['机关', '办理中', '已逾期', '5个工作日内到期'],
        tableRows,
      )
    )
      return reply
    return reply.page(
      200,
      <ConsoleLayout ctx={pageContext(request)} title="区域依申请公开">
        <h1>区域依申请公开办理情况</h1>
        <p>
          <a href="/console/region/applications?format=csv">导出 CSV</a> ·{' '}
          <a href="/console/region/applications?format=xlsx">导出 XLSX</a>
        </p>
        <table>
          <caption>各机关办理中的申请</caption>
          <thead>
            <tr>
              <th scope="col">机关</th>
              <th scope="col">办理中</th>
              <th scope="col">已逾期</th>
              <th scope="col">5 个工作日内到期</th>
            </tr>
          </thead>
          <tbody>
            {agencies.map((a) => {
              const mine = rows.filter((r) => r.agency_id === a.id)
              return (
                <tr>
                  <td>{a.name}</td>
                  <td>{mine.length}</td>
                  <td>{mine.filter((r) => r.due_on && r.due_on < today).length}</td>
                  <td>{mine.filter((r) => r.due_on && r.due_on >= today && r.due_on <= soonBy).length}</td>
                </tr>
              )
            })}
          </tbody>
        </table>
        <table>
          <caption>已逾期的申请</caption>
          <thead>
            <tr>
              <th scope="col">机关</th>
              <th scope="col">申请编号</th>
              <th scope="col">收到日期</th>
              <th scope="col">答复期限</th>
            </tr>
          </thead>
          <tbody>
            {rows
              .filter((r) => r.due_on && r.due_on < today)
              .map((r) => (
                <tr class="overdue">
                  <td>{name.get(r.agency_id)}</td>
                  <td>{r.number}</td>
                  <td>{r.received_on}</td>
                  <td>{r.due_on}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </ConsoleLayout>,
    )
  })
}
