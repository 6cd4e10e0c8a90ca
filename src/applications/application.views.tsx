import type { ComponentChildren } from 'preact'
import type { ApplicationRow } from '../storage/database.ts'
import { Csrf, ErrorSummary, Field, Notice, Select, emptyForm, stringValue } from '../web/form.tsx'
import type { FormState } from '../web/form.tsx'
import type { PageContext } from '../web/layout.tsx'
import { ConsoleLayout } from '../web/layout.tsx'
import type { Queue } from './application.ts'
import {
  applicantCategoryLabels,
  channels,
  deliveryMethods,
  deliveryWays,
  idTypes,
  outcomeLabel,
  outcomeOptions,
  receiptRule,
  replyTypes,
  statusLabels,
  wantedForms,
} from './application.ts'
import type { ApplicationView } from './application.service.ts'
import type { QueueView, RegionView } from './queue.service.ts'

// The handler's console pages: the queues by due date, the registration of an application received
// on paper, in person, by mail, fax, e-mail or orally, one page per application with its clock
// explained step by step, and the supervising office's view of the region.

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

export const queueLabels: Record<Queue, string> = {
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
  children?: ComponentChildren
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

export type ApplicationPageProps = ApplicationView & {
  ctx: PageContext
  form: FormState
  action?: string | undefined
  message?: string | undefined
  notice?: string | undefined
}

// A failed step keeps its input and shows its errors in its own form only.
const formFor = (props: ApplicationPageProps) => (action: string) => (action === props.action ? props.form : emptyForm)
const isOpen = (application: ApplicationRow) => application.status !== 'concluded'

/** One application in the console: its facts, applicant, clock, timeline, letters and the next steps the law allows. */
export function ApplicationPage(props: ApplicationPageProps) {
  const { application, form } = props
  const open = isOpen(application)
  return (
    <ConsoleLayout ctx={props.ctx} title={`申请 ${application.number}`}>
      <h1>政府信息公开申请 {application.number}</h1>
      {props.notice && <Notice>{props.notice}</Notice>}
      <ErrorSummary form={form} message={props.message} idSuffix={props.action} />
      <ApplicationFacts {...props} />
      <ApplicantSection {...props} />
      <RequestSection {...props} />
      <FilesSection {...props} />
      <ClockSection {...props} />
      <Timeline {...props} />
      <LettersSection {...props} />
      {open && <h2>办理</h2>}
      <CorrectionActions {...props} />
      <OpenActions {...props} />
      <DeliveryAction {...props} />
    </ConsoleLayout>
  )
}

function ApplicationFacts(props: ApplicationPageProps) {
  const { application } = props
  const { clock } = props
  const open = isOpen(props.application)
  const flags = JSON.parse(props.application.flags ?? '[]') as string[]
  return (
    <>
      {flags.map((f) => (
        <Notice kind="warn">{flagLabels[f] ?? f}</Notice>
      ))}
      {props.problem && <Notice kind="warn">答复期限暂无法计算：{props.problem}</Notice>}
      <dl class="facts">
        <dt>状态</dt>
        <dd id="status">
          {statusLabels[application.status as keyof typeof statusLabels]}
          {clock?.pausedSince && open && `（自 ${clock.pausedSince} 起计时暂停）`}
        </dd>
        <dt>渠道</dt>
        <dd>{channels[application.channel as keyof typeof channels] ?? application.channel}</dd>
        <dt>收到申请之日</dt>
        <dd>
          {application.received_on}（{receiptRule[application.channel as keyof typeof receiptRule] ?? ''}）
        </dd>
        <dt>答复期限</dt>
        <dd id="due">
          {open
            ? clock
              ? (clock.due ?? '补正期间不计时')
              : '待定（缺少节假日安排）'
            : `已办结（${application.concluded_on}）`}
        </dd>
        {application.outcome && (
          <>
            <dt>答复结果</dt>
            <dd id="outcome">{outcomeLabel(application.outcome)}</dd>
          </>
        )}
        {application.delivered_on && (
          <>
            <dt>送达</dt>
            <dd>
              {deliveryMethods[application.delivered_method as keyof typeof deliveryMethods]} {application.delivered_on}
              ，{application.on_time ? '按期' : '逾期'}
            </dd>
          </>
        )}
        {application.fee_amount ? (
          <>
            <dt>信息处理费</dt>
            <dd>
              {application.fee_amount} 元（{application.fee_method === 'piece' ? '按件' : '按量'}）
            </dd>
          </>
        ) : null}
      </dl>
    </>
  )
}

function ApplicantSection(props: ApplicationPageProps) {
  const { application } = props
  return (
    <>
      <h2>申请人{props.revealed ? '（完整信息，已记录查看）' : '（已脱敏）'}</h2>
      <dl class="facts">
        <dt>类型</dt>
        <dd>{applicantCategoryLabels[application.applicant_category as keyof typeof applicantCategoryLabels]}</dd>
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
          {application.id_type ? idTypes[application.id_type as keyof typeof idTypes] : ''} {props.applicant.idNumber}
          {application.credit_code && `统一社会信用代码 ${application.credit_code}`}
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
        {application.needs_assistance ? (
          <>
            <dt>需要帮助</dt>
            <dd>有阅读困难或视听障碍（条例第四十三条）</dd>
          </>
        ) : null}
      </dl>
      {!props.revealed && (
        <form method="post" action={`/console/applications/${application.id}/reveal`}>
          <Csrf token={props.ctx.csrf} />
          <button type="submit" class="link-button">
            查看完整个人信息（仅承办人和负责人，将记录审计）
          </button>
        </form>
      )}
    </>
  )
}

function RequestSection(props: ApplicationPageProps) {
  const { application } = props
  return (
    <>
      <h2>申请内容</h2>
      <dl class="facts">
        {application.info_title && (
          <>
            <dt>信息名称</dt>
            <dd>{application.info_title}</dd>
          </>
        )}
        {application.info_doc_number && (
          <>
            <dt>文号</dt>
            <dd>{application.info_doc_number}</dd>
          </>
        )}
        <dt>内容描述</dt>
        <dd>{application.info_description}</dd>
        <dt>所需形式</dt>
        <dd>
          {wantedForms[application.wanted_form as keyof typeof wantedForms]}，
          {deliveryWays[application.delivery_way as keyof typeof deliveryWays]}
        </dd>
      </dl>
    </>
  )
}

function FilesSection(props: ApplicationPageProps) {
  const { application } = props
  return (
    <>
      <h2>申请人提交的材料</h2>
      {props.files.length > 0 && !props.personal ? (
        <p>共 {props.files.length} 份，仅本申请的承办人和公开办负责人可以查看。</p>
      ) : props.files.length === 0 ? (
        <p>无。</p>
      ) : (
        <ul>
          {props.files.map((f) => (
            <li>
              <a href={`/console/applications/${application.id}/files/${f.id}`}>{f.file_name}</a>（
              {Math.ceil(f.size / 1024)} KB，查看将记录审计）
            </li>
          ))}
        </ul>
      )}
    </>
  )
}

function ClockSection(props: ApplicationPageProps) {
  const { clock } = props
  return (
    <>
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
    </>
  )
}

function Timeline(props: ApplicationPageProps) {
  return (
    <>
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
    </>
  )
}

function LettersSection(props: ApplicationPageProps) {
  const { application } = props
  return (
    <>
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
              <form method="post" action={`/console/applications/${application.id}/letters/${l.id}`}>
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
              <a href={`/console/applications/${application.id}/letters/${l.id}/pdf`}>下载 PDF</a> ·{' '}
              <a href={`/console/applications/${application.id}/letters/${l.id}/docx`}>下载 DOCX</a>
            </p>
          </section>
        ))
      )}
    </>
  )
}

function CorrectionActions(props: ApplicationPageProps) {
  const { application } = props
  const { today } = props
  const formOf = formFor(props)
  const open = isOpen(props.application)
  return (
    <>
      {open && application.status === 'correction' && (
        <>
          <ActionForm
            ctx={props.ctx}
            id={application.id}
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
          <ActionForm
            ctx={props.ctx}
            id={application.id}
            action="no-correction"
            title="逾期未补正"
            button="视为放弃，不再处理"
          >
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
    </>
  )
}

function OpenActions(props: ApplicationPageProps) {
  const { application } = props
  const { today } = props
  const formOf = formFor(props)
  const open = isOpen(props.application)
  const openConsultations = props.events.filter(
    (e) =>
      e.kind === 'consultation_sent' &&
      !props.events.some((r) => r.kind === 'consultation_replied' && Number(r.detail.ref) === e.id),
  )
  const feeOpen =
    props.events.some((e) => e.kind === 'fee_notified') && !props.events.some((e) => e.kind === 'fee_paid')
  return (
    <>
      {open && application.status === 'open' && (
        <>
          {!props.events.some((e) => e.kind === 'correction_requested') && (
            <ActionForm
              ctx={props.ctx}
              id={application.id}
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
            id={application.id}
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
              id={application.id}
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
              id={application.id}
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
          {!application.fee_method && (
            <ActionForm
              ctx={props.ctx}
              id={application.id}
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
              <ActionForm ctx={props.ctx} id={application.id} action="fee-paid" title="申请人已缴费" button="记录缴费">
                <DateField idSuffix="fee-paid" form={formOf('fee-paid')} name="on" label="缴费日期" today={today} />
              </ActionForm>
              <ActionForm
                ctx={props.ctx}
                id={application.id}
                action="no-fee"
                title="逾期未缴费"
                button="视为放弃，不再处理"
              >
                <DateField idSuffix="no-fee" form={formOf('no-fee')} name="on" label="办结日期" today={today} />
              </ActionForm>
            </>
          )}
          <ActionForm
            ctx={props.ctx}
            id={application.id}
            action="reasons"
            title="要求说明理由（条例第三十五条）"
            button="记录已要求说明理由"
          >
            <DateField idSuffix="reasons" form={formOf('reasons')} name="on" label="日期" today={today} />
          </ActionForm>
          {props.isHead && (
            <ActionForm
              ctx={props.ctx}
              id={application.id}
              action="delay"
              title="确定延迟答复的合理期限（条例第三十五条）"
              button="确定期限并告知"
            >
              <DateField idSuffix="delay" form={formOf('delay')} name="on" label="告知日期" today={today} />
              <Field idSuffix="delay" form={formOf('delay')} name="until" label="延迟答复期限" type="date" required />
              <Field idSuffix="delay" form={formOf('delay')} name="reason" label="理由" required />
            </ActionForm>
          )}
          <ActionForm ctx={props.ctx} id={application.id} action="decide" title="作出答复" button="作出答复">
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
          <ActionForm ctx={props.ctx} id={application.id} action="withdraw" title="申请人撤回申请" button="记录撤回">
            <DateField idSuffix="withdraw" form={formOf('withdraw')} name="on" label="撤回日期" today={today} />
          </ActionForm>
        </>
      )}
    </>
  )
}

function DeliveryAction(props: ApplicationPageProps) {
  const { application } = props
  const { today } = props
  const formOf = formFor(props)
  return (
    <>
      {application.status === 'concluded' && application.decided_on && !application.delivered_on && (
        <ActionForm
          ctx={props.ctx}
          id={application.id}
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
    </>
  )
}

export function QueuePage(props: { ctx: PageContext } & QueueView & { queue: Queue }) {
  return (
    <ConsoleLayout ctx={props.ctx} title="依申请公开">
      <h1>依申请公开</h1>
      {props.calendarProblem && <Notice kind="warn">{props.calendarProblem}</Notice>}
      <p>
        <a class="button" href="/console/applications/new">
          登记收到的申请
        </a>
      </p>
      <nav aria-label="队列">
        <ul class="nav">
          {(Object.keys(queueLabels) as Queue[]).map((k) => (
            <li>
              {k === props.queue ? (
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
          {queueLabels[props.queue]}（{props.list.length} 件）
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
          {props.list.map((a) => (
            <tr class={a.status !== 'concluded' && a.due_on && a.due_on < props.today ? 'overdue' : undefined}>
              <td>
                <a href={`/console/applications/${a.id}`}>{a.number}</a>
              </td>
              <td>{a.applicant_name_masked}</td>
              <td>{a.received_on}</td>
              <td>
                {a.status === 'concluded'
                  ? '—'
                  : (a.due_on ?? (a.status === 'correction' ? '补正中' : '待定（缺少节假日安排）'))}
                {a.status !== 'concluded' && a.due_on && a.due_on < props.today && '（已逾期）'}
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
    </ConsoleLayout>
  )
}

export function RegisterPage(props: { ctx: PageContext; form: FormState; message?: string | undefined }) {
  return (
    <ConsoleLayout ctx={props.ctx} title="登记申请">
      <h1>登记收到的政府信息公开申请</h1>
      <p>
        当面、邮寄、传真、电子邮件或口头提出的申请在此登记。收到申请之日按条例第三十一条确定：当面提交为提交之日；邮寄为签收之日；平信为电话确认之日；传真、电子邮件为双方确认之日；口头申请由工作人员代为填写。
      </p>
      <ErrorSummary form={props.form} message={props.message} />
      <form method="post" action="/console/applications" novalidate>
        <Csrf token={props.ctx.csrf} />
        <Select
          form={props.form}
          name="channel"
          label="收到申请的渠道"
          options={Object.entries(channels)
            .filter(([k]) => k !== 'online')
            .map(([value, label]) => ({ value, label }))}
          required
        />
        <Field form={props.form} name="receivedOn" label="收到申请之日" type="date" required />
        <Select
          form={props.form}
          name="category"
          label="申请人类型"
          options={options(applicantCategoryLabels)}
          required
        />
        <Field form={props.form} name="name" label="姓名或组织名称" required />
        <Select form={props.form} name="idType" label="身份证件类型" options={options(idTypes)} />
        <Field form={props.form} name="idNumber" label="身份证件号码" />
        <Field form={props.form} name="creditCode" label="统一社会信用代码（组织）" />
        <Field form={props.form} name="contactPerson" label="联系人（组织）" />
        <Field form={props.form} name="phone" label="联系电话" required />
        <Field form={props.form} name="email" label="电子邮箱" />
        <Field form={props.form} name="address" label="通信地址" required />
        <Field form={props.form} name="postcode" label="邮政编码" />
        <Field form={props.form} name="infoTitle" label="信息名称" />
        <Field form={props.form} name="infoDocNumber" label="文号" />
        <Field form={props.form} name="infoDescription" label="所需信息的内容描述" required />
        <Select form={props.form} name="wantedForm" label="所需信息的形式" options={options(wantedForms)} required />
        <Select form={props.form} name="deliveryWay" label="获取信息的方式" options={options(deliveryWays)} required />
        <button type="submit">登记</button>
      </form>
    </ConsoleLayout>
  )
}

export function RegionApplicationsPage(props: { ctx: PageContext } & RegionView) {
  return (
    <ConsoleLayout ctx={props.ctx} title="区域依申请公开">
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
          {props.agencies.map((a) => (
            <tr>
              <td>{a.name}</td>
              <td>{a.open}</td>
              <td>{a.overdue}</td>
              <td>{a.soon}</td>
            </tr>
          ))}
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
          {props.overdue.map((r) => (
            <tr class="overdue">
              <td>{r.agency}</td>
              <td>{r.number}</td>
              <td>{r.received_on}</td>
              <td>{r.due_on}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ConsoleLayout>
  )
}
