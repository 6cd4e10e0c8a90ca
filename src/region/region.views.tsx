import { ConsoleLayout } from '../web/layout.tsx'
import type { PageContext } from '../web/layout.tsx'
import { hasProblem, overviewColumns } from './region.service.ts'
import type { AgencyState, OverviewQuery } from './region.service.ts'

/** The supervising office's overview of every agency, sortable and filterable. */
export function RegionOverviewPage(props: {
  ctx: PageContext
  q: OverviewQuery
  states: AgencyState[]
  regionReport: { year: number; deadline: string }
}) {
  const link = (over: Partial<OverviewQuery>) =>
    `/console/region?${new URLSearchParams({ ...props.q, ...over }).toString()}`
  return (
    <ConsoleLayout ctx={props.ctx} title="区域概况">
      <h1>区域概况</h1>
      <p>
        {props.q.only === 'all' ? (
          <a href={link({ only: 'problems' })}>只看有问题的机关</a>
        ) : (
          <a href={link({ only: 'all' })}>显示全部机关</a>
        )}
        {' · '}
        <a href={`/console/region/export.csv?${new URLSearchParams(props.q).toString()}`}>导出 CSV</a>
        {' · '}
        <a href={`/console/region/export.xlsx?${new URLSearchParams(props.q).toString()}`}>导出 XLSX</a>
        {' · '}
        <a href="/console/region/applications">依申请公开</a> · <a href="/console/region/columns">栏目健康</a> ·{' '}
        <a href="/console/region/reports">区域年报汇总</a>
      </p>
      <p>
        本级政府{props.regionReport.year}年度政府信息公开工作年度报告应于 {props.regionReport.deadline}{' '}
        前公开；各部门（含本办公室）的本部门年度报告截止日期见下表。
      </p>
      <table class="report-table">
        <caption>各机关状态（{props.states.length} 个机关；点击列名排序）</caption>
        <thead>
          <tr>
            {overviewColumns.map((c) => (
              <th
                scope="col"
                aria-sort={props.q.sort === c.key ? (props.q.dir === 'asc' ? 'ascending' : 'descending') : undefined}
              >
                <a href={link({ sort: c.key, dir: props.q.sort === c.key && props.q.dir === 'asc' ? 'desc' : 'asc' })}>
                  {c.label}
                </a>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.states.map((s) => (
            <tr class={hasProblem(s) ? 'overdue' : undefined}>
              {overviewColumns.map((c, i) => (i === 0 ? <th scope="row">{c.value(s)}</th> : <td>{c.value(s)}</td>))}
            </tr>
          ))}
        </tbody>
      </table>
    </ConsoleLayout>
  )
}
