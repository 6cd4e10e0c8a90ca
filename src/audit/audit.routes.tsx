import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { formatShanghai } from '../clock.ts'
import { Notice } from '../web/form.tsx'
import { ConsoleLayout } from '../web/layout.tsx'
import type { PageContext } from '../web/layout.tsx'
import type { AuditRow } from './audit.ts'
import { formatHead } from './audit.ts'
import { recordAudit, searchAudit, verifyAuditChain } from './audit.service.ts'
import type { AuditFilter } from './audit.store.ts'
import { pageContext } from '../web/request-context.ts'

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .optional()
  .or(z.literal('').transform(() => undefined))
const filterQuery = z.object({
  actor: z.string().max(60).optional(),
  action: z.string().max(60).optional(),
  result: z.enum(['', 'success', 'failure', 'denied']).optional(),
  from: day,
  to: day,
  page: z.coerce.number().int().min(1).max(100000).optional(),
  verify: z.literal('1').optional(),
})
type FilterQuery = z.infer<typeof filterQuery>

// Dates are chosen in Beijing time and compared as UTC instants.
const startOfShanghaiDay = (d: string) => new Date(`${d}T00:00:00+08:00`).toISOString()
const nextShanghaiDay = (d: string) => new Date(new Date(`${d}T00:00:00+08:00`).getTime() + 86_400_000).toISOString()

const toFilter = (q: FilterQuery): AuditFilter => ({
  actor: q.actor?.trim() || undefined,
  action: q.action?.trim() || undefined,
  result: q.result || undefined,
  from: q.from ? startOfShanghaiDay(q.from) : undefined,
  to: q.to ? nextShanghaiDay(q.to) : undefined,
})

const resultLabels: Record<string, string> = { success: '成功', failure: '失败', denied: '拒绝' }

function AuditPage(props: {
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
          <input id="f-action" name="action" value={q.action ?? ''} />
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
              <td>{r.actor_roles}</td>
              <td>{r.action}</td>
              <td>
                {r.object_type} {r.object_id}
              </td>
              <td>{r.source_ip}</td>
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

const csvCell = (v: unknown) => {
  const s = String(v ?? '')
  // A leading = + - @ would be read as a formula by a spreadsheet (CSV injection).
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s
  return `"${safe.replace(/"/g, '""')}"`
}

export function auditRoutes(app: FastifyInstance): void {
  const deps = app.deps

  app.get('/console/audit', async (request, reply) => {
    const parsed = filterQuery.safeParse(request.query)
    const q = parsed.success ? parsed.data : {}
    const rows = await searchAudit(deps, toFilter(q), q.page ?? 1)
    let chain
    if (q.verify) {
      const report = await verifyAuditChain(deps)
      chain = { head: formatHead(report.head), problems: report.problems.map((p) => p.message) }
    }
    await recordAudit(deps, request.actor, {
      action: q.verify ? 'audit.verify' : 'audit.read',
      objectType: 'audit_log',
      objectId: '',
      result: 'success',
      detail: { ...toFilter(q) },
    })
    return reply.page(200, <AuditPage ctx={pageContext(request)} rows={rows} q={q} chain={chain} />)
  })

  app.get('/console/audit/export', async (request, reply) => {
    const parsed = filterQuery.safeParse(request.query)
    const q = parsed.success ? parsed.data : {}
    const rows = await searchAudit(deps, toFilter(q), 1, 100_000)
    await recordAudit(deps, request.actor, {
      action: 'audit.export',
      objectType: 'audit_log',
      objectId: '',
      result: 'success',
      detail: { rows: rows.length },
    })
    const header = [
      '序号',
      '时间（北京时间）',
      '时间（UTC）',
      '操作人',
      '角色',
      '机关',
      '事件',
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
        r.actor_roles,
        r.agency_id,
        r.action,
        r.object_type,
        r.object_id,
        r.source_ip,
        r.result,
        r.detail,
        r.mac,
      ]
        .map(csvCell)
        .join(','),
    )
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header(
        'content-disposition',
        `attachment; filename="audit.csv"; filename*=UTF-8''${encodeURIComponent('审计日志.csv')}`,
      )
      .send(`\ufeff${[header.map(csvCell).join(','), ...lines].join('\r\n')}\r\n`)
  })
}
