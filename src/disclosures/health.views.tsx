import type { Agency } from '../agencies/agency.ts'
import { formatShanghai } from '../clock.ts'
import { pageOf } from '../paging.ts'
import { Notice } from '../web/form.tsx'
import { listLink, Pager } from '../web/pager.tsx'
import { ConsoleLayout } from '../web/layout.tsx'
import type { PageContext } from '../web/layout.tsx'
import type { ColumnState, HealthReport } from './column-health.ts'
import type { TimelinessReport } from './health.service.ts'

const stateLabels: Record<ColumnState, string> = {
  ok: '正常',
  stale: '未按期更新',
  long_stale: '长期未更新',
  empty: '空白栏目',
  generated: '自动生成',
}

export function ColumnHealthPage(props: { ctx: PageContext; report: HealthReport }) {
  return (
    <ConsoleLayout ctx={props.ctx} title="栏目健康">
      <h1>栏目健康</h1>
      <p class="hint">
        依据《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）：动态类栏目 2 周、通知公告和政策文件类栏目 6
        个月内应有更新。
      </p>
      {props.report.veto.length > 0 ? (
        <div class="error-summary" role="alert">
          <h2>触及单项否决</h2>
          <ul>
            {props.report.veto.map((v) => (
              <li>{v}</li>
            ))}
          </ul>
        </div>
      ) : (
        <Notice>未触及单项否决指标。</Notice>
      )}
      <table>
        <caption>本机关栏目</caption>
        <thead>
          <tr>
            <th scope="col">栏目</th>
            <th scope="col">已发布</th>
            <th scope="col">距上次更新（天）</th>
            <th scope="col">状态</th>
          </tr>
        </thead>
        <tbody>
          {props.report.columns.map((c) => (
            <tr>
              <td>{c.name}</td>
              <td>{c.published}</td>
              <td>{c.daysSince ?? '—'}</td>
              <td>{stateLabels[c.state]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ConsoleLayout>
  )
}

/** 条例 art. 26: the items published late, or not yet published and already late. */
export function TimelinessPage(props: { ctx: PageContext; report: TimelinessReport; page?: number }) {
  // Every item is checked (no cut at 500); the late ones are shown 50 a page with their total.
  const late = pageOf(props.report.late, props.page ?? 1)
  const unverified = props.report.unverified
  return (
    <ConsoleLayout ctx={props.ctx} title="公开时限">
      <h1>公开时限（条例第二十六条）</h1>
      <p class="hint">主动公开的政府信息应当自形成或者变更之日起 20 个工作日内予以公开。</p>
      {late.total === 0 ? (
        <Notice>没有逾期公开或已逾期未公开的信息。</Notice>
      ) : (
        <table>
          <caption>
            逾期的信息（共 {late.total} 条，已核查本机关全部 {props.report.checked} 条信息）
          </caption>
          <thead>
            <tr>
              <th scope="col">名称</th>
              <th scope="col">形成或变更日期</th>
              <th scope="col">公开时限</th>
              <th scope="col">发布日期</th>
            </tr>
          </thead>
          <tbody>
            {late.rows.map((r) => (
              <tr>
                <td>
                  <a href={`/console/items/${r.id}`}>{r.title}</a>
                </td>
                <td>{r.formed_on}</td>
                <td>{r.t.due}</td>
                <td>{r.published_at ? formatShanghai(r.published_at).slice(0, 10) : '尚未发布'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {late.total > 0 && (
        <Pager total={late.total} page={late.page} link={(p) => listLink('/console/timeliness', {}, p)} />
      )}
      {unverified && (
        <Notice kind="warn">
          {unverified.count} 条信息的时限无法核定：{unverified.reason}
        </Notice>
      )}
    </ConsoleLayout>
  )
}

export function RegionColumnHealthPage(props: { ctx: PageContext; rows: { agency: Agency; report: HealthReport }[] }) {
  return (
    <ConsoleLayout ctx={props.ctx} title="区域栏目健康">
      <h1>区域栏目健康</h1>
      <p>
        <a href="/console/region/columns?format=csv">导出 CSV</a> ·{' '}
        <a href="/console/region/columns?format=xlsx">导出 XLSX</a>
      </p>
      <table>
        <caption>各机关栏目情况</caption>
        <thead>
          <tr>
            <th scope="col">机关</th>
            <th scope="col">未按期更新</th>
            <th scope="col">长期未更新</th>
            <th scope="col">空白栏目</th>
            <th scope="col">单项否决</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map(({ agency, report }) => (
            <tr>
              <td>{agency.name}</td>
              <td>{report.stale}</td>
              <td>{report.longStale}</td>
              <td>{report.empty}</td>
              <td>{report.veto.length ? '是' : '否'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ConsoleLayout>
  )
}
