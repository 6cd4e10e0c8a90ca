import { csvCell as textCsvCell } from '../web/csv.ts'
import { formatShanghai } from '../clock.ts'
import { Notice } from '../web/form.tsx'
import { ConsoleLayout } from '../web/layout.tsx'
import type { PageContext } from '../web/layout.tsx'
import type { AuditRow } from './audit.ts'
import { actionChoices, actionLabel, objectTypeLabel, rolesLabel } from './audit-labels.ts'

/** The audit page's filter as the query gave it (dates as YYYY-MM-DD in Beijing time). */
export type FilterQuery = {
  actor?: string | undefined
  action?: string | undefined
  result?: '' | 'success' | 'failure' | 'denied' | undefined
  from?: string | undefined
  to?: string | undefined
  page?: number | undefined
  verify?: '1' | undefined
}

const resultLabels: Record<string, string> = { success: '成功', failure: '失败', denied: '拒绝' }

export function AuditPage(props: {
  ctx: PageContext
  rows: AuditRow[]
  q: FilterQuery
  chain?: { head: string; problems: string[] } | undefined
}) {
  const { q } = props
  const query = new URLSearchParams(
    Object.entries(q)
      .filter(([k, v]) => v && k !== 'page' && k !== 'verify')
      .map(([k, v]) => [k, String(v)]),
  )
  return (
    <ConsoleLayout ctx={props.ctx} title="审计日志">
      <h1>审计日志</h1>
      {props.chain &&
        (props.chain.problems.length === 0 ? (
          <Notice>
            审计链校验通过。链头：<code>{props.chain.head}</code>（请另行记录，以便发现截短）。
          </Notice>
        ) : (
          <div class="error-summary" role="alert">
            <h2>审计链校验未通过</h2>
            <ul>
              {props.chain.problems.map((p) => (
                <li>{p}</li>
              ))}
            </ul>
          </div>
        ))}
      <form method="get" action="/console/audit" class="filters">
        <div class="field">
          <label for="f-actor">操作人</label>
          <input id="f-actor" name="actor" value={q.actor ?? ''} />
        </div>
        <div class="field">
          <label for="f-action">事件类型</label>
          <select id="f-action" name="action">
            <option value="">全部</option>
            {actionChoices().map((c) => (
              <option value={c.value} selected={q.action === c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-result">结果</label>
          <select id="f-result" name="result">
            <option value="">全部</option>
            {Object.entries(resultLabels).map(([v, l]) => (
              <option value={v} selected={q.result === v}>
                {l}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-from">起始日期</label>
          <input id="f-from" name="from" type="date" value={q.from ?? ''} />
        </div>
        <div class="field">
          <label for="f-to">截止日期</label>
          <input id="f-to" name="to" type="date" value={q.to ?? ''} />
        </div>
        <button type="submit">筛选</button>
      </form>
      <p>
        <a href={`/console/audit/export?${query.toString()}`}>导出筛选结果（CSV）</a>{' '}
        <a href={`/console/audit?${query.toString()}${query.size ? '&' : ''}verify=1`}>校验审计链</a>
      </p>
      <table class="audit">
        <caption>审计记录（北京时间，最新在前）</caption>
        <thead>
          <tr>
            <th scope="col">序号</th>
            <th scope="col">时间</th>
            <th scope="col">操作人</th>
            <th scope="col">角色</th>
            <th scope="col">事件</th>
            <th scope="col">对象</th>
            <th scope="col">来源地址</th>
            <th scope="col">结果</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr>
              <td>{r.seq}</td>
              <td>{formatShanghai(r.at)}</td>
              <td>{r.actor_name}</td>
              <td>{rolesLabel(r.actor_roles)}</td>
              <td>{actionLabel(r.action)}</td>
              <td>
                {objectTypeLabel(r.object_type)} {r.object_id}
              </td>
              {/* Entries made on the server's command line carry 'cli', not an address: said in Chinese. */}
              <td>{r.source_ip === 'cli' ? '命令行' : r.source_ip}</td>
              <td>{resultLabels[r.result] ?? r.result}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <nav aria-label="分页" class="pager">
        {(q.page ?? 1) > 1 && <a href={`/console/audit?${query.toString()}&page=${(q.page ?? 1) - 1}`}>上一页</a>}
        {props.rows.length === 50 && (
          <a href={`/console/audit?${query.toString()}&page=${(q.page ?? 1) + 1}`}>下一页</a>
        )}
      </nav>
    </ConsoleLayout>
  )
}

const csvCell = (v: unknown) => textCsvCell(v === null || v === undefined ? '' : String(v), { alwaysQuote: true })

/** The audit entries as CSV with a BOM (Excel reads it as UTF-8), both times and the chain's MAC. */
export function auditCsv(rows: AuditRow[]): string {
  const header = [
    '序号',
    '时间（北京时间）',
    '时间（UTC）',
    '操作人',
    '角色',
    '机关',
    '事件',
    '事件代码',
    '对象类型',
    '对象',
    '来源地址',
    '结果',
    '详情',
    '校验值',
  ]
  const lines = rows.map((r) =>
    [
      r.seq,
      formatShanghai(r.at),
      r.at,
      r.actor_name,
      rolesLabel(r.actor_roles),
      r.agency_id,
      actionLabel(r.action),
      r.action,
      objectTypeLabel(r.object_type),
      r.object_id,
      r.source_ip,
      r.result,
      r.detail,
      r.mac,
    ]
      .map(csvCell)
      .join(','),
  )
  return `\ufeff${[header.map(csvCell).join(','), ...lines].join('\r\n')}\r\n`
}
