import { applicationStepLabels } from '../audit/audit-labels.ts'
import { Csrf, ErrorSummary, Notice } from '../web/form.tsx'
import { ConsoleLayout } from '../web/layout.tsx'
import { MailSection } from '../notify/mail.views.tsx'
import {
  applicantCategoryLabels,
  channels,
  deliveryMethods,
  deliveryWays,
  idTypes,
  outcomeLabel,
  receiptRule,
  statusLabels,
  wantedForms,
} from './application.ts'
import { CorrectionActions, DecisionFlags, DeliveryAction, OpenActions, isOpen } from './steps.views.tsx'
import type { ApplicationPageProps } from './steps.views.tsx'
import { LetterEditor } from './letter-editor.views.tsx'

// One application in the handler's console: its facts, the applicant (masked until revealed), the
// request, the applicant's files, the clock explained step by step, the timeline, the letters, and
// the forms of the next steps the law allows.

const flagLabels: Record<string, string> = {
  no_js: '未经浏览器安全校验提交，请留意',
  same_day_duplicate: '可能是重复提交：同一申请人当天已提交内容相同的申请，请核对后合并处理',
  possible_repeat: '可能是重复申请（同一申请人此前已答复的相似申请）',
  frequent: '同一申请人近 30 日申请较多（条例第三十五条）',
}
const eventLabels: Record<string, string> = applicationStepLabels

/** One application in the console: its facts, applicant, clock, timeline, letters and the next steps the law allows. */
export function ApplicationPage(props: ApplicationPageProps) {
  const { application, form } = props
  const open = isOpen(application)
  return (
    <ConsoleLayout ctx={props.ctx} title={`申请 ${application.number}`}>
      <h1>政府信息公开申请 {application.number}</h1>
      {props.notice && <Notice>{props.notice}</Notice>}
      <ErrorSummary form={form} message={props.message} idSuffix={props.action} />
      <DecisionFlags {...props} />
      <ApplicationFacts {...props} />
      <ApplicantSection {...props} />
      <RequestSection {...props} />
      <FilesSection {...props} />
      <ClockSection {...props} />
      <Timeline {...props} />
      <LettersSection {...props} />
      <MailSection mail={props.mail} />
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
        <dt>办理人</dt>
        <dd id="handler">
          {application.handler_id === null ? (
            open && props.ctx.user?.roles.includes('handler') ? (
              <form method="post" action={`/console/applications/${application.id}/take`} class="inline">
                <Csrf token={props.ctx.csrf} />
                尚未领办{' '}
                <button type="submit" class="secondary">
                  领办（分配给我）
                </button>
              </form>
            ) : (
              '尚未领办'
            )
          ) : application.handler_id === props.ctx.user?.id ? (
            '本人'
          ) : (
            '其他办理人'
          )}
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
              ? clock.due
                ? `${clock.due}${clock.provisional ? '（暂定：下一年度节假日安排尚未录入，按周末及法定固定节日暂定计算，录入后更新）' : ''}`
                : '补正期间不计时'
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
      {props.correctionAnswers.length > 0 && (
        <>
          <h2>申请人在线提交的补正</h2>
          {props.correctionAnswers.map((a) => (
            <div class="correction-answer">
              <p>
                {a.answeredOn} 收到补正（条例第三十条：答复期限自次日重新起算）
                {a.files.length > 0 && `，附材料：${a.files.map((f) => f.name).join('、')}`}
              </p>
              {a.text && <blockquote>{a.text}</blockquote>}
            </div>
          ))}
        </>
      )}
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
              {f.correction_answer_id !== null && '补正材料，'}
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
              <LetterEditor
                ctx={props.ctx}
                applicationId={application.id}
                applicationNumber={application.number}
                today={props.today}
                letter={l}
                input={props.letterInput}
              />
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
