import { formatShanghai } from '../clock.ts'
import { ReportBody, reportTitle } from '../reports/render/report-html.tsx'
import type { StoredReport } from '../reports/report.store.ts'
import { Downloads } from '../reports/report.views.tsx'
import { Notice } from '../web/form.tsx'
import { PortalLayout } from '../web/layout.tsx'
import type { PageContext } from '../web/layout.tsx'

// The portal's 年度报告 column: every published report of the region, corrected versions with
// their history.

export function PublicReportsPage(props: { ctx: PageContext; reports: (StoredReport & { agency_name: string })[] }) {
  const { reports } = props
  return (
    <PortalLayout ctx={props.ctx} title="政府信息公开工作年度报告">
      <h1>政府信息公开工作年度报告</h1>
      {reports.length === 0 ? (
        <p>暂无已发布的年度报告。</p>
      ) : (
        <ul class="report-list">
          {reports.map((r) => (
            <li>
              <a href={`/reports/${r.id}`}>{reportTitle(r.report)}</a>{' '}
              <span class="hint">
                {r.agency_name}，{r.published_at && formatShanghai(r.published_at).slice(0, 10)} 发布
                {r.status === 'superseded'
                  ? '（已被更正版本取代）'
                  : r.version > 1
                    ? `（第 ${r.version} 版，更正）`
                    : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
    </PortalLayout>
  )
}

export function PublicReportPage(props: { ctx: PageContext; stored: StoredReport }) {
  const { stored } = props
  return (
    <PortalLayout ctx={props.ctx} title={reportTitle(stored.report)}>
      {stored.status === 'superseded' && (
        <Notice kind="warn">本版本已被更正版本取代，请查阅“年度报告”栏目中的最新版本。</Notice>
      )}
      {stored.version > 1 && stored.supersedes_id && (
        <Notice>
          本报告为第 {stored.version} 版（更正版本），<a href={`/reports/${stored.supersedes_id}`}>查看此前版本</a>。
        </Notice>
      )}
      <ReportBody report={stored.report} />
      <Downloads base={`/reports/${stored.id}`} />
    </PortalLayout>
  )
}
