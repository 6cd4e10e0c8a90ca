import type { FastifyInstance } from 'fastify'
import { listAgencies } from '../agencies/agency.store.ts'
import { Notice } from '../web/form.tsx'
import { ConsoleLayout } from '../web/layout.tsx'
import { columnHealth } from './column-health.ts'
import type { ColumnState } from './column-health.ts'
import { columnStats } from './disclosure.store.ts'

const stateLabels: Record<ColumnState, string> = { ok: '正常', stale: '未按期更新', long_stale: '长期未更新', empty: '空白栏目', generated: '自动生成' }

export function healthRoutes(app: FastifyInstance): void {
  const deps = app.deps

  app.get('/console/columns/health', async (request, reply) => {
    const report = columnHealth(await columnStats(deps.db, request.staff!.agencyId), deps.clock.now())
    return reply.page(200, (
      <ConsoleLayout ctx={app.ctx(request)} title="栏目健康">
        <h1>栏目健康</h1>
        <p class="hint">依据《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）：动态类栏目 2 周、通知公告和政策文件类栏目 6 个月内应有更新。</p>
        {report.veto.length > 0 ? <div class="error-summary" role="alert"><h2>触及单项否决</h2><ul>{report.veto.map((v) => <li>{v}</li>)}</ul></div> : <Notice>未触及单项否决指标。</Notice>}
        <table>
          <caption>本机关栏目</caption>
          <thead><tr><th scope="col">栏目</th><th scope="col">已发布</th><th scope="col">距上次更新（天）</th><th scope="col">状态</th></tr></thead>
          <tbody>{report.columns.map((c) => <tr><td>{c.name}</td><td>{c.published}</td><td>{c.daysSince ?? '—'}</td><td>{stateLabels[c.state]}</td></tr>)}</tbody>
        </table>
      </ConsoleLayout>
    ))
  })

  app.get('/console/region/columns', async (request, reply) => {
    const rows = []
    for (const agency of await listAgencies(deps.db)) rows.push({ agency, report: columnHealth(await columnStats(deps.db, agency.id), deps.clock.now()) })
    return reply.page(200, (
      <ConsoleLayout ctx={app.ctx(request)} title="区域栏目健康">
        <h1>区域栏目健康</h1>
        <table>
          <caption>各机关栏目情况</caption>
          <thead><tr><th scope="col">机关</th><th scope="col">未按期更新</th><th scope="col">长期未更新</th><th scope="col">空白栏目</th><th scope="col">单项否决</th></tr></thead>
          <tbody>{rows.map(({ agency, report }) => <tr><td>{agency.name}</td><td>{report.stale}</td><td>{report.longStale}</td><td>{report.empty}</td><td>{report.veto.length ? '是' : '否'}</td></tr>)}</tbody>
        </table>
      </ConsoleLayout>
    ))
  })
}
