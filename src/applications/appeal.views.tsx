import { Csrf, ErrorSummary, Field, Select } from '../web/form.tsx'
import type { FormState } from '../web/form.tsx'
import type { PageContext } from '../web/layout.tsx'
import { ConsoleLayout } from '../web/layout.tsx'
import { EmptyRow, listLink, Pager } from '../web/pager.tsx'
import type { AppealsView } from './appeal.service.ts'
import { appealKinds, rawResults } from './appeal.service.ts'

// The agency's reconsideration and litigation cases, with the form to record a new one.

const columnLabel = { upheld: '结果维持', corrected: '结果纠正', other: '其他结果' }

/** What the list's filter boxes hold (as typed). */
export type AppealFilterInput = { kind?: string | undefined; state?: string | undefined; year?: string | undefined }

export function AppealsPage(
  props: AppealsView & {
    ctx: PageContext
    form: FormState
    message?: string | undefined
    filter: AppealFilterInput
    filterProblem?: string | undefined
    /** The case whose conclusion was refused, with what was typed and why. */
    concluding?: { id: number; form: FormState } | undefined
  },
) {
  const { ctx } = props
  const f = props.filter
  const filtered = !!(f.kind || f.state || f.year)
  const link = (page: number) => listLink('/console/appeals', { kind: f.kind, state: f.state, year: f.year }, page)
  return (
    <ConsoleLayout ctx={ctx} title="复议与诉讼">
      <h1>政府信息公开行政复议、行政诉讼</h1>
      <ErrorSummary form={props.form} message={props.message} />
      <form method="get" action="/console/appeals" class="filters" role="search" aria-label="查找案件">
        {props.filterProblem && (
          <div class="error-summary" role="alert">
            <p>{props.filterProblem}</p>
          </div>
        )}
        <div class="field">
          <label for="q-kind">类型</label>
          <select id="q-kind" name="kind">
            <option value="">全部类型</option>
            {Object.entries(appealKinds).map(([v, l]) => (
              <option value={v} selected={f.kind === v}>
                {l}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="q-state">审结情况</label>
          <select id="q-state" name="state">
            <option value="">全部</option>
            <option value="open" selected={f.state === 'open'}>
              尚未审结
            </option>
            <option value="concluded" selected={f.state === 'concluded'}>
              已审结
            </option>
          </select>
        </div>
        <div class="field">
          <label for="q-year">立案年份</label>
          <input id="q-year" name="year" value={f.year ?? ''} inputMode="numeric" maxLength={10} />
        </div>
        <button type="submit">查找</button>
        {filtered && <a href="/console/appeals">清除筛选</a>}
      </form>
      <table>
        <caption>
          本机关的案件（共 {props.total} 条{filtered && '，已筛选'}；年度报告第四部分按 12 月 31 日的状态统计）
        </caption>
        <thead>
          <tr>
            <th scope="col">类型</th>
            <th scope="col">立案日期</th>
            <th scope="col">审结</th>
            <th scope="col">报告列</th>
            <th scope="col">操作</th>
          </tr>
        </thead>
        <tbody>
          {props.cases.length === 0 && <EmptyRow columns={5} filtered={filtered} />}
          {props.cases.map((c) => (
            <tr>
              <td>{appealKinds[c.kind as keyof typeof appealKinds]}</td>
              <td>{c.filed_on}</td>
              <td>{c.raw_result ? `${c.raw_result}（${c.concluded_on}）` : '尚未审结'}</td>
              <td>{c.raw_result ? columnLabel[props.mapping[c.raw_result] ?? 'other'] : '尚未审结'}</td>
              <td>
                {!c.raw_result && (
                  <ConcludeForm
                    ctx={ctx}
                    id={c.id}
                    form={props.concluding?.id === c.id ? props.concluding.form : undefined}
                  />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager total={props.total} page={props.page} link={link} />
      <h2>登记新案件</h2>
      <form method="post" action="/console/appeals" novalidate>
        <Csrf token={ctx.csrf} />
        <Select
          form={props.form}
          name="kind"
          label="类型"
          options={Object.entries(appealKinds).map(([value, label]) => ({ value, label }))}
          required
        />
        <Field form={props.form} name="filedOn" label="立案（受理）日期" type="date" required />
        <Field form={props.form} name="applicationNumber" label="涉及的申请编号" />
        <Field form={props.form} name="note" label="备注" />
        <button type="submit">登记</button>
      </form>
    </ConsoleLayout>
  )
}

/** The row's form recording a case's conclusion; refused, it shows why beside the field and keeps what was typed. */
function ConcludeForm(props: { ctx: PageContext; id: number; form: FormState | undefined }) {
  const { id } = props
  const values = props.form?.values ?? {}
  const errors = props.form?.errors ?? {}
  const value = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : '')
  const box = (name: string) => (errors[name] ? 'field has-error' : 'field')
  return (
    <form method="post" action={`/console/appeals/${id}/conclude`} class="inline">
      <Csrf token={props.ctx.csrf} />
      <span class={box('rawResult')}>
        <label for={`r-${id}`}>审结结果</label>
        {errors.rawResult && (
          <span class="error" id={`e-r-${id}`}>
            {errors.rawResult}
          </span>
        )}
        <select id={`r-${id}`} name="rawResult">
          {rawResults.map((r) => (
            <option value={r} selected={value('rawResult') === r}>
              {r}
            </option>
          ))}
        </select>
      </span>
      <span class={box('concludedOn')}>
        <label for={`d-${id}`}>审结日期</label>
        {errors.concludedOn && (
          <span class="error" id={`e-d-${id}`}>
            {errors.concludedOn}
          </span>
        )}
        <input
          id={`d-${id}`}
          name="concludedOn"
          type="date"
          required
          value={value('concludedOn')}
          aria-describedby={errors.concludedOn ? `e-d-${id}` : undefined}
        />
      </span>
      <button type="submit">记录审结</button>
    </form>
  )
}
