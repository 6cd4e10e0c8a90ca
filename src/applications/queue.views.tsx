import { Csrf, ErrorSummary, Field, Notice, Select } from '../web/form.tsx'
import type { FormState } from '../web/form.tsx'
import type { PageContext } from '../web/layout.tsx'
import { EmptyRow, listLink, Pager } from '../web/pager.tsx'
import { ConsoleLayout } from '../web/layout.tsx'
import type { Queue } from './application.ts'
import { isOverdue } from './application.ts'
import {
  applicantCategoryLabels,
  channels,
  deliveryWays,
  idTypes,
  outcomeLabel,
  statusLabels,
  wantedForms,
} from './application.ts'
import type { LateCorrection, QueueView, RegionView } from './queue.service.ts'
import { options } from './steps.views.tsx'

// The queues by due date, the registration of an application received on paper, in person, by
// mail, fax, e-mail or orally, and the supervising office's view of the region.

export const queueLabels: Record<Queue, string> = {
  overdue: '已逾期',
  soon: '5 个工作日内到期',
  open: '办理中',
  correction: '等待补正',
  concluded: '已办结',
  all: '全部',
}

/** Why a due date is 暂定, in one line (the full reason is on the application's page). */
export const provisionalReason = '下一年度节假日安排尚未公布，按周末及法定固定节日暂定计算，公布后更新'

/** A due date, labelled 暂定 when it runs into a year whose holiday notice is not recorded yet. */
export function DueDate(props: { due: string | null; provisional: boolean | number }) {
  if (!props.due) return null
  return props.provisional ? (
    <>
      {props.due}
      <span class="provisional" title={provisionalReason}>
        （暂定）
      </span>
    </>
  ) : (
    <>{props.due}</>
  )
}

/** What the queue's filter boxes hold (as typed). */
export type QueueFilterInput = {
  number?: string | undefined
  name?: string | undefined
  from?: string | undefined
  to?: string | undefined
}

export function QueuePage(
  props: { ctx: PageContext } & QueueView & { queue: Queue; filter: QueueFilterInput; problems: string[] },
) {
  const f = props.filter
  const filtered = !!(f.number || f.name || f.from || f.to)
  const link = (queue: Queue, page: number) => listLink('/console/applications', { queue, ...f }, page)
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
                <a href={link(k, 1)}>{queueLabels[k]}</a>
              )}
            </li>
          ))}
        </ul>
      </nav>
      <QueueFilterForm queue={props.queue} filter={f} problems={props.problems} />
      {props.scanLimit && (
        <Notice kind="warn">
          本队列符合条件的申请超过 {props.scanLimit} 件，本次只在按答复期限排列的前 {props.scanLimit}{' '}
          件中查找。请加上申请编号或收到日期缩小范围。
        </Notice>
      )}
      <table>
        <caption>
          {queueLabels[props.queue]}（共 {props.total} 件{filtered && '，已筛选'}）
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
          {props.list.length === 0 && <EmptyRow columns={6} filtered={filtered} />}
          {props.list.map((a) => (
            <tr class={isOverdue(a, props.today) ? 'overdue' : undefined}>
              <td>
                <a href={`/console/applications/${a.id}`}>{a.number}</a>
              </td>
              <td>{a.applicant_name_masked}</td>
              <td>{a.received_on}</td>
              <td>
                {a.status === 'concluded' ? (
                  '—'
                ) : a.due_on ? (
                  <DueDate due={a.due_on} provisional={a.due_provisional} />
                ) : a.status === 'correction' ? (
                  '补正中'
                ) : (
                  '待定（缺少节假日安排）'
                )}
                {isOverdue(a, props.today) && '（已逾期）'}
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
      <Pager total={props.total} page={props.page} link={(p) => link(props.queue, p)} />
      {props.list.some((a) => a.due_provisional && a.status !== 'concluded') && (
        <p class="hint">标注“暂定”的答复期限：{provisionalReason}。</p>
      )}
      {props.lateCorrections && <LateCorrections list={props.lateCorrections} />}
    </ConsoleLayout>
  )
}

/** The search box and filters of a queue: number, applicant's name, receipt dates (GET, so links keep them). */
function QueueFilterForm(props: { queue: Queue; filter: QueueFilterInput; problems: string[] }) {
  const f = props.filter
  return (
    <form method="get" action="/console/applications" class="filters" role="search" aria-label="查找申请">
      {props.problems.length > 0 && (
        <div class="error-summary" role="alert">
          <ul>
            {props.problems.map((p) => (
              <li>{p}</li>
            ))}
          </ul>
        </div>
      )}
      <input type="hidden" name="queue" value={props.queue} />
      <div class="field">
        <label for="f-number">申请编号</label>
        <input id="f-number" name="number" value={f.number ?? ''} maxLength={30} />
      </div>
      <div class="field">
        <label for="f-name">申请人姓名或名称</label>
        <input id="f-name" name="name" value={f.name ?? ''} maxLength={30} />
      </div>
      <div class="field">
        <label for="f-from">收到日期（起）</label>
        <input id="f-from" name="from" type="date" value={f.from ?? ''} />
      </div>
      <div class="field">
        <label for="f-to">收到日期（止）</label>
        <input id="f-to" name="to" type="date" value={f.to ?? ''} />
      </div>
      <button type="submit">查找</button>
      {f.name && (
        <p class="hint">
          按姓名查找：可以查看其个人信息的申请（本人经办的，机关负责人为全部）按完整姓名匹配，其他申请按列表中隐去部分的姓名（如“王*英”）匹配。
        </p>
      )}
      {(f.number || f.name || f.from || f.to) && <a href={`/console/applications?queue=${props.queue}`}>清除筛选</a>}
    </form>
  )
}

/** 条例第三十条: a 补正 must be asked for once, within 7 working days of receipt; the ones sent later. */
function LateCorrections(props: { list: (LateCorrection & { agency?: string })[]; withAgency?: boolean }) {
  return (
    <table id="late-corrections">
      <caption>
        逾期发出补正通知（条例第三十条：收到申请之日起 7 个工作日内一次性告知）（{props.list.length} 件）
      </caption>
      <thead>
        <tr>
          {props.withAgency && <th scope="col">机关</th>}
          <th scope="col">申请编号</th>
          <th scope="col">收到日期</th>
          <th scope="col">应于此日前告知</th>
          <th scope="col">实际发出补正通知</th>
        </tr>
      </thead>
      <tbody>
        {props.list.map((l) => (
          <tr class="overdue">
            {props.withAgency && <td>{l.agency}</td>}
            <td>{props.withAgency ? l.number : <a href={`/console/applications/${l.id}`}>{l.number}</a>}</td>
            <td>{l.received_on}</td>
            <td>{l.noticeBy}</td>
            <td>{l.on_date}</td>
          </tr>
        ))}
      </tbody>
    </table>
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
        <Select
          form={props.form}
          name="idType"
          label="身份证件类型（自然人必填；组织填写经办人的证件，可不填）"
          options={options(idTypes)}
        />
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
            <th scope="col">逾期发出补正通知</th>
          </tr>
        </thead>
        <tbody>
          {props.agencies.map((a) => (
            <tr>
              <td>{a.name}</td>
              <td>{a.open}</td>
              <td>{a.overdue}</td>
              <td>{a.soon}</td>
              <td>{a.lateCorrections}</td>
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
              <td>
                <DueDate due={r.due_on} provisional={r.due_provisional} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <LateCorrections list={props.lateCorrections} withAgency />
    </ConsoleLayout>
  )
}
