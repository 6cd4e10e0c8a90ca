import { Csrf, Notice } from '../web/form.tsx'
import { ConsoleLayout } from '../web/layout.tsx'
import type { PageContext } from '../web/layout.tsx'
import { EmptyRow, listLink, Pager } from '../web/pager.tsx'
import type { ActivityTable } from './activity-list.service.ts'
import { recordKinds } from './activity.service.ts'
import type { RecordKind } from './activity.service.ts'

export type ActivitiesPageOptions = {
  /** Why a record or a file was refused. */
  message?: string
  notice?: string
  /** The kind whose one-record form is shown again with `values`. */
  kind?: RecordKind
  values?: Record<string, string>
}

/** What the lists' filter boxes hold (as typed). */
export type ActivityFilterInput = { year?: string | undefined; q?: string | undefined }

export function ActivitiesPage(
  props: ActivitiesPageOptions & {
    ctx: PageContext
    tables: Record<RecordKind, ActivityTable>
    filter: ActivityFilterInput
    filterProblem?: string | undefined
  },
) {
  const f = props.filter
  const filtered = !!(f.year || f.q)
  // Each list's page links keep the filters and the pages of the other lists.
  const pages = Object.fromEntries(
    (Object.keys(recordKinds) as RecordKind[]).map((k) => [
      k,
      props.tables[k].page > 1 ? props.tables[k].page : undefined,
    ]),
  )
  const link = (kind: RecordKind) => (page: number) =>
    `${listLink('/console/activities', { year: f.year, q: f.q, ...pages, [kind]: page > 1 ? page : undefined }, 1)}#h-${kind}`
  return (
    <ConsoleLayout ctx={props.ctx} title="第二十条活动记录">
      <h1>第二十条活动记录</h1>
      <p>
        年度报告第二部分“主动公开政府信息情况”由这些记录计算：权责清单事项（按生效、失效日期统计年末数量和增减）、处理决定、行政事业性收费和政府集中采购。
      </p>
      {props.notice && <Notice>{props.notice}</Notice>}
      {props.message && (
        <div class="error-summary" role="alert">
          <h2>未导入</h2>
          <pre class="problems">{props.message}</pre>
        </div>
      )}
      <form method="get" action="/console/activities" class="filters" role="search" aria-label="查找记录">
        {props.filterProblem && (
          <div class="error-summary" role="alert">
            <p>{props.filterProblem}</p>
          </div>
        )}
        <div class="field">
          <label for="f-year">年份</label>
          <input id="f-year" name="year" value={f.year ?? ''} inputMode="numeric" maxLength={10} />
        </div>
        <div class="field">
          <label for="f-q">事项、项目名称</label>
          <input id="f-q" name="q" value={f.q ?? ''} maxLength={50} />
        </div>
        <button type="submit">查找</button>
        {filtered && <a href="/console/activities">清除筛选</a>}
      </form>
      {(Object.keys(recordKinds) as RecordKind[]).map((kind) => {
        const k = recordKinds[kind]
        const values = props.kind === kind ? (props.values ?? {}) : {}
        // A refused record: each problem that names a column (“生效日期”…) is shown beside that field too.
        const problemsOf = (c: string) =>
          props.kind === kind && props.message ? props.message.split('；').filter((m) => m.includes(`“${c}”`)) : []
        return (
          <section aria-labelledby={`h-${kind}`}>
            <h2 id={`h-${kind}`}>{k.label}</h2>
            <table>
              <caption>
                {k.label}（共 {props.tables[kind].total} 条{filtered && '，已筛选'}，最新在前）
              </caption>
              <thead>
                <tr>
                  {k.columns.map((c) => (
                    <th scope="col">{c}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {props.tables[kind].total === 0 && <EmptyRow columns={k.columns.length} filtered={filtered} />}
                {props.tables[kind].rows.map((r) => (
                  <tr>
                    {r.map((c) => (
                      <td>{c}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
            <Pager total={props.tables[kind].total} page={props.tables[kind].page} link={link(kind)} label={k.label} />
            <form method="post" action={`/console/activities/${kind}`} aria-label={`登记${k.label}`} class="inline">
              <Csrf token={props.ctx.csrf} />
              {k.columns.map((c, i) => {
                const problems = problemsOf(c)
                return (
                  <span class={problems.length ? 'field has-error' : 'field'}>
                    <label for={`f-${kind}-${i}`}>{c}</label>
                    {problems.length > 0 && (
                      <span class="error" id={`e-${kind}-${i}`}>
                        {problems.join('；')}
                      </span>
                    )}
                    <input
                      id={`f-${kind}-${i}`}
                      name={c}
                      value={values[c] ?? ''}
                      type={c.endsWith('日期') ? 'date' : 'text'}
                      aria-invalid={problems.length ? 'true' : undefined}
                      aria-describedby={problems.length ? `e-${kind}-${i}` : undefined}
                    />
                  </span>
                )
              })}
              <button type="submit">登记</button>
            </form>
            <form
              method="post"
              action={`/console/activities/${kind}/import`}
              enctype="multipart/form-data"
              aria-label={`导入${k.label}`}
              class="inline"
            >
              <input type="hidden" name="_csrf" value={props.ctx.csrf} />
              <label for={`file-${kind}`}>从 CSV 或 XLSX 导入（全部正确才导入）</label>
              <input id={`file-${kind}`} name="file" type="file" accept=".csv,.xlsx" />
              <button type="submit">导入</button>
              <a href={`/console/activities/${kind}/template.csv`}>下载模板</a>
            </form>
          </section>
        )
      })}
    </ConsoleLayout>
  )
}
