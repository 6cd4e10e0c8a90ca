import type { ComponentChildren } from 'preact'
import { formatShanghai } from '../clock.ts'
import { Csrf, ErrorSummary, Field, Notice } from '../web/form.tsx'
import { findingsOf } from '../confidentiality/clearance.ts'
import { findingLabels, surfaceLabel } from '../confidentiality/scan-rules.ts'
import type { FormState } from '../web/form.tsx'
import { ConsoleLayout } from '../web/layout.tsx'
import type { PageContext } from '../web/layout.tsx'
import type { CheckResult } from './report-checks.ts'
import { ruleLabels } from './report-check-result.ts'
import { ReportBody, reportTitle } from './render/report-html.tsx'
import { exportKinds, exportLabels } from './render/report-export.ts'
import type { StoredReport } from './report.store.ts'
import { ReviewSection } from '../reviews/review.views.tsx'
import { NarrativeField } from './narrative-field.tsx'
import type { ReviewView } from '../reviews/review.views.tsx'
import type { Counts } from '../disclosures/counts.ts'
import { appealGroups, appealGroupLabels, formats, sectionTitles } from './report-format.ts'
import type { FormatId } from './report-format.ts'
import type { AnnualReport, Cell } from './report.ts'
import { cellLabel, cellValue, partLabel } from './report-cells.ts'
import type { CellExplanation, regionReportOf } from './report.service.ts'
import { appealsCountingLabels } from './report-settings.service.ts'
import type { AppealsCounting } from './report-settings.service.ts'

type RegionReport = Awaited<ReturnType<typeof regionReportOf>>

export const statusLabels: Record<string, string> = {
  draft: '草稿',
  in_review: '审核中',
  approved: '审核通过，待发布',
  published: '已发布',
  superseded: '已被更正版本取代',
  imported: '导入的往年报告',
}

export function Findings(props: { check: CheckResult; missing: string[]; format?: FormatId }) {
  const { findings, notChecked } = props.check
  return (
    <section aria-labelledby="findings-h" class="findings">
      <h2 id="findings-h">勾稽关系检查</h2>
      {findings.length === 0 ? (
        <Notice>未发现错误或提示。</Notice>
      ) : (
        <ul>
          {findings.map((f) => (
            <li class={f.severity}>
              <strong>{f.severity === 'error' ? '错误' : '提示'}</strong> {ruleLabels[f.rule]}
              {f.message.slice(f.rule.length)}
            </li>
          ))}
        </ul>
      )}
      {notChecked.length > 0 && (
        <p class="hint">未检查：{notChecked.map((n) => `${ruleLabels[n.rule]}（${n.reason}）`).join('；')}</p>
      )}
      {props.missing.length > 0 && (
        <p class="hint">缺失：{props.missing.map((m) => partLabel(props.format ?? '2021', m)).join('、')}</p>
      )}
    </section>
  )
}

export function Downloads(props: { base: string }) {
  return (
    <p class="downloads">
      下载：
      {exportKinds.map((k) => (
        <>
          <a href={`${props.base}/download/${k}`} download>
            {exportLabels[k]}
          </a>{' '}
        </>
      ))}
    </p>
  )
}

export function ReportsListPage(props: {
  ctx: PageContext
  reports: StoredReport[]
  form: FormState
  thisYear: number
  canEdit: boolean
  message?: string | undefined
}) {
  return (
    <ConsoleLayout ctx={props.ctx} title="年度报告">
      <h1>政府信息公开工作年度报告</h1>
      {props.message && <Notice>{props.message}</Notice>}
      <ErrorSummary form={props.form} />
      <table>
        <caption>本机关的年度报告</caption>
        <thead>
          <tr>
            <th scope="col">年度</th>
            <th scope="col">格式</th>
            <th scope="col">状态</th>
            <th scope="col">版本</th>
            <th scope="col">更新时间</th>
          </tr>
        </thead>
        <tbody>
          {props.reports.map((r) => (
            <tr>
              <td>
                <a href={`/console/reports/${r.id}`}>{r.year}年</a>
              </td>
              <td>{r.format === '2019' ? '2019年试行格式' : '2021年格式'}</td>
              <td>
                {statusLabels[r.status] ?? r.status}
                {r.source_name ? `（${r.source_name}）` : ''}
              </td>
              <td>{r.version > 0 ? `第 ${r.version} 版` : '—'}</td>
              <td>{formatShanghai(r.updated_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.canEdit && (
        <>
          <h2 id="compute-h">生成年度报告</h2>
          <p class="hint">表格由本平台的记录计算得出，不能手工填写；叙述部分生成后可编辑。</p>
          <form method="post" action="/console/reports" aria-labelledby="compute-h">
            <Csrf token={props.ctx.csrf} />
            <div class="field">
              <label for="f-year">报告年度</label>
              <select id="f-year" name="year">
                {Array.from({ length: props.thisYear - 2018 }, (_, i) => props.thisYear - i).map((y) => (
                  <option value={String(y)} selected={y === props.thisYear - 1}>
                    {y}年
                  </option>
                ))}
              </select>
            </div>
            <button type="submit">计算并生成草稿</button>
          </form>
          <h2 id="import-h">导入往年已发布的报告</h2>
          <p class="hint">粘贴从网页或文档复制的报告全文（含表格），用于检查与上年度报告的衔接。</p>
          <form method="post" action="/console/reports/import" aria-labelledby="import-h">
            <Csrf token={props.ctx.csrf} />
            <div class={props.form.errors.text ? 'field has-error' : 'field'}>
              <label for="f-text">报告全文</label>
              {props.form.errors.text && (
                <p class="error" id="e-text">
                  {props.form.errors.text}
                </p>
              )}
              <textarea
                id="f-text"
                name="text"
                rows={8}
                aria-describedby={props.form.errors.text ? 'e-text' : undefined}
              >
                {typeof props.form.values.text === 'string' ? props.form.values.text : ''}
              </textarea>
            </div>
            {props.form.errors.confirmAgency && (
              <div class="field has-error">
                <p class="error" id="e-confirm">
                  {props.form.errors.confirmAgency}
                </p>
                <input type="checkbox" id="f-confirm" name="confirmAgency" aria-describedby="e-confirm" />
                <label for="f-confirm">确认这是本机关的报告，仍然导入</label>
              </div>
            )}
            <button type="submit">导入</button>
          </form>
          <form method="post" action="/console/reports/upload" enctype="multipart/form-data" aria-label="上传报告文件">
            <Csrf token={props.ctx.csrf} />
            <div class={props.form.errors.file ? 'field has-error' : 'field'}>
              <label for="f-file">或上传报告文件（TXT、HTML、DOCX、PDF、XLSX，10 MB 以内）</label>
              {props.form.errors.file && (
                <p class="error" id="e-file">
                  {props.form.errors.file}
                </p>
              )}
              <input
                id="f-file"
                name="file"
                type="file"
                accept=".txt,.htm,.html,.docx,.pdf,.xlsx,.json"
                aria-describedby={props.form.errors.file ? 'e-file' : undefined}
              />
            </div>
            {props.form.errors.confirmFile && (
              <div class="field">
                <input type="checkbox" id="f-confirm-file" name="confirmAgency" />
                <label for="f-confirm-file">确认这是本机关的报告，仍然导入（请重新选择文件）</label>
              </div>
            )}
            <button type="submit">上传并导入</button>
          </form>
        </>
      )}
    </ConsoleLayout>
  )
}

export function ReportPage(props: {
  ctx: PageContext
  stored: StoredReport
  check: CheckResult
  canEdit: boolean
  canPublish: boolean
  canClear: boolean
  canReturn: boolean
  review: ReviewView
  form: FormState
  figures: string[]
  message?: string | undefined
  children?: ComponentChildren
}) {
  const { stored } = props
  const draft = stored.status === 'draft'
  const base = `/console/reports/${stored.id}`
  return (
    <ConsoleLayout ctx={props.ctx} title={reportTitle(stored.report)}>
      <p>
        <a href="/console/reports">← 全部年度报告</a>
      </p>
      <h1>{reportTitle(stored.report)}</h1>
      <p>
        状态：<strong>{statusLabels[stored.status]}</strong>
        {stored.version > 0 && `，第 ${stored.version} 版`}
        {stored.published_at && `，发布于 ${formatShanghai(stored.published_at)}`}
      </p>
      {props.message && <Notice>{props.message}</Notice>}
      {stored.override_reason && (
        <Notice kind="warn">发布时存在勾稽关系错误，公开办负责人的发布理由：{stored.override_reason}</Notice>
      )}
      <ErrorSummary form={props.form} />
      <ScanFindings
        ctx={props.ctx}
        stored={stored}
        form={props.form}
        canClear={props.canClear}
        canReturn={props.canReturn}
      />
      <Findings check={props.check} missing={stored.report.missing} format={stored.report.format} />
      <Downloads base={base} />
      {draft && props.canEdit && (
        <section aria-labelledby="narrative-h">
          <h2 id="narrative-h">编辑叙述部分</h2>
          <p class="hint">可引用的计算数据：{props.figures.join('；')}</p>
          <form method="post" action={`${base}/narrative`}>
            <Csrf token={props.ctx.csrf} />
            <NarrativeField
              form={props.form}
              name="overview"
              label={sectionTitles.overview}
              value={stored.report.sections.overview}
              hint="主要包括主动公开、依申请公开、政府信息管理、平台建设、监督保障五个方面（国办公开办函〔2021〕30号）"
            />
            <NarrativeField
              form={props.form}
              name="problems"
              label={sectionTitles.problems}
              value={stored.report.sections.problems}
            />
            <NarrativeField
              form={props.form}
              name="other"
              label={sectionTitles.other}
              value={stored.report.sections.other}
              hint="首段为本年收取信息处理费情况，按缴费记录生成，重新计算草稿时更新；其他事项写在其后"
            />
            <button type="submit">保存叙述</button>
          </form>
        </section>
      )}
      {stored.source === 'computed' && (
        <ReviewSection
          ctx={props.ctx}
          base={base}
          status={stored.status}
          review={props.review}
          form={props.form}
          canSubmit={props.canEdit}
        />
      )}
      {stored.status === 'approved' && props.canPublish && (
        <section aria-labelledby="publish-h">
          <h2 id="publish-h">发布到门户网站“年度报告”栏目</h2>
          <form method="post" action={`${base}/publish`}>
            <Csrf token={props.ctx.csrf} />
            {props.check.findings.some((f) => f.severity === 'error') && (
              <div class={props.form.errors.overrideReason ? 'field has-error' : 'field'}>
                <label for="f-overrideReason">存在错误仍要发布的理由</label>
                {props.form.errors.overrideReason && <p class="error">{props.form.errors.overrideReason}</p>}
                <textarea id="f-overrideReason" name="overrideReason" rows={3} />
              </div>
            )}
            <button type="submit">发布</button>
          </form>
        </section>
      )}
      <section aria-labelledby="preview-h">
        <h2 id="preview-h">预览</h2>
        {stored.source === 'computed' && <p class="hint">点击表格中的数字，可查看计入该数的记录。</p>}
        <div class="report-preview">
          <ReportBody
            report={stored.report}
            level={3}
            cellLink={stored.source === 'computed' ? (ref) => `${base}/cell?ref=${encodeURIComponent(ref)}` : undefined}
          />
        </div>
      </section>
      {props.children}
    </ConsoleLayout>
  )
}

/** The computed figures staff most often quote in the narrative, ready to copy. */
export function figuresOf(report: AnnualReport, counts?: Counts): string[] {
  const rows = report.applications.rows
  const total = (code: string) => rows[code]?.[6] ?? 0
  const items = (channels: { name: string; items: number }[]) =>
    channels.map((c) => `${c.name} ${c.items} 条`).join('、')
  const byKind = (counts?.byChannelKind ?? []).map((k) =>
    k.kind === 'other' || k.channels.length === 1
      ? items(k.channels)
      : `${k.label} ${k.items} 条（${items(k.channels)}）`,
  )
  const published =
    counts && counts.total > 0 ? [`本年主动公开政府信息 ${counts.total} 条，其中${byKind.join('、')}`] : []
  return [
    ...published,
    `本年新收政府信息公开申请 ${total('NEW')} 件`,
    `上年结转 ${total('CARRIED_IN')} 件`,
    `本年度办理 ${total('TOTAL')} 件（予以公开 ${total('GRANTED')} 件、部分公开 ${total('PARTIAL')} 件）`,
    `结转下年度 ${total('CARRIED_OUT')} 件`,
    ...appealGroups.map((g) => `${appealGroupLabels[g]} ${report.appeals[g]?.[4] ?? 0} 件`),
  ]
}

/** "Why is this cell N": the stored value beside the count now, and the records counted. */
export function CellRecords(props: { cell: CellExplanation; valueId?: string }) {
  const cell = props.cell
  const outcomeLabel = (code: string | null) =>
    formats['2021'].applicationRows.find((r) => r.code === code)?.label ?? '—'
  return (
    <>
      <p>
        报告中的数值：<strong id={props.valueId}>{cell.stored ?? '空白'}</strong>；按当前记录计数：
        <strong>{cell.current}</strong>。
      </p>
      {cell.stored !== null && cell.stored !== cell.current && (
        <Notice kind="warn">报告生成后记录有变化；重新计算草稿可更新此数（已发布的版本保持不变）。</Notice>
      )}
      {cell.records.length > 0 && (
        <table>
          <caption>计入此数的政府信息公开申请</caption>
          <thead>
            <tr>
              <th scope="col">申请编号</th>
              <th scope="col">收到日期</th>
              <th scope="col">办结日期</th>
              <th scope="col">办理结果</th>
            </tr>
          </thead>
          <tbody>
            {cell.records.map((a) => (
              <tr>
                <td>{String(a.id)}</td>
                <td>{a.receivedOn}</td>
                <td>{a.concludedOn ?? '办理中'}</td>
                <td>{outcomeLabel(a.outcome)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {cell.others.length > 0 && (
        <section aria-label="计入此数的记录">
          <p>计入此数的记录：</p>
          <ul>
            {cell.others.map((r) => (
              <li>{r.href ? <a href={r.href}>{r.text}</a> : r.text}</li>
            ))}
          </ul>
        </section>
      )}
      {cell.current === 0 && <p>没有记录计入此数。</p>}
    </>
  )
}

/** "Why is this cell N" of the agency's own report. */
export function ReportCellPage(props: { ctx: PageContext; id: number; cell: CellExplanation }) {
  const { id, cell } = props
  return (
    <ConsoleLayout ctx={props.ctx} title="单元格来源">
      <p>
        <a href={`/console/reports/${id}`}>← 返回年度报告</a>
      </p>
      <h1>{cell.label}</h1>
      <CellRecords cell={cell} />
    </ConsoleLayout>
  )
}

/** The region's report of a year, with each agency's findings, for the supervising office. */
export function RegionReportPage(props: {
  ctx: PageContext
  year: number
  region: RegionReport
  counting: AppealsCounting
}) {
  const { year, region } = props
  return (
    <ConsoleLayout ctx={props.ctx} title={`${year}年区域年度报告汇总`}>
      <h1>{year}年区域年度报告汇总</h1>
      <p>
        导出：<a href={`/console/region/reports?year=${year}&download=xlsx`}>XLSX</a> ·{' '}
        <a href={`/console/region/reports?year=${year}&download=docx`}>DOCX</a> ·{' '}
        <a href={`/console/region/reports?year=${year}&download=pdf`}>PDF</a>
      </p>
      <form method="get" action="/console/region/reports" class="filters">
        <div class="field">
          <label for="f-year">年度</label>
          <input id="f-year" name="year" inputMode="numeric" value={String(year)} />
        </div>
        <button type="submit">查看</button>
      </form>
      <p>
        已计入 {region.agencies.length} 个机关的报告。
        {region.withoutReport.length > 0 && `尚无报告：${region.withoutReport.join('、')}。`}
      </p>
      {region.excluded.length > 0 && (
        <Notice kind="warn">{region.excluded.map((x) => `${x.agencyName}：${x.reason}`).join('；')}</Notice>
      )}
      {region.agencies.map((a) => (
        <details>
          <summary>
            {a.agencyName}：{a.check.findings.filter((f) => f.severity === 'error').length} 个错误，
            {a.check.findings.filter((f) => f.severity === 'warning').length} 个提示
          </summary>
          {region.publishedIds.has(a.agencyId) ? (
            <p>
              <a href={`/reports/${region.publishedIds.get(a.agencyId)}`}>查看该机关发布的报告</a>
            </p>
          ) : (
            <p class="hint">该机关的报告为导入的已发布文本。</p>
          )}
          <Findings check={a.check} missing={[]} />
        </details>
      ))}
      <p class="hint">点击表中的数字，可查看各机关的数值并追溯到计入的记录。</p>
      <p class="hint">
        第四部分（行政复议、行政诉讼）统计口径：{appealsCountingLabels[props.counting]}
        。由主管部门的公开办负责人在"报告统计口径"中设置。
      </p>
      <ReportBody
        report={region.report}
        level={2}
        cellLink={(ref) => `/console/region/reports/cell?year=${year}&ref=${encodeURIComponent(ref)}`}
      />
    </ConsoleLayout>
  )
}

/** Drill-down, step 1: one cell of the region's report, agency by agency. */
export function RegionCellPage(props: {
  ctx: PageContext
  q: { year: number; ref: string }
  total: Cell | undefined
  region: RegionReport
}) {
  const { q, total, region } = props
  const recordsOf = (agencyId: number) =>
    `/console/region/reports/${region.publishedIds.get(agencyId)}/cell?ref=${encodeURIComponent(q.ref)}`
  return (
    <ConsoleLayout ctx={props.ctx} title="区域单元格">
      <p>
        <a href={`/console/region/reports?year=${q.year}`}>← 返回区域年报汇总</a>
      </p>
      <h1>
        {q.year}年区域汇总：{cellLabel(region.report.format, q.ref)}
      </h1>
      <p>
        区域合计：<strong id="region-total">{total ?? '空白'}</strong>
      </p>
      <table>
        <caption>各机关的数值</caption>
        <thead>
          <tr>
            <th scope="col">机关</th>
            <th scope="col">数值</th>
            <th scope="col">记录</th>
          </tr>
        </thead>
        <tbody>
          {region.parts.map((p) => (
            <tr>
              <th scope="row">{p.agencyName}</th>
              <td>{cellValue(p.report, q.ref) ?? '空白'}</td>
              <td>
                {region.publishedIds.has(p.agencyId) ? (
                  <a href={recordsOf(p.agencyId)}>查看{p.agencyName}计入的记录</a>
                ) : (
                  '导入的已发布报告，无记录'
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ConsoleLayout>
  )
}

/** Drill-down, step 2: the records one agency's cell counts. */
export function AgencyCellPage(props: { ctx: PageContext; ref: string; cell: CellExplanation & { year: number } }) {
  const { ref, cell } = props
  return (
    <ConsoleLayout ctx={props.ctx} title="单元格来源">
      <p>
        <a href={`/console/region/reports/cell?year=${cell.year}&ref=${encodeURIComponent(ref)}`}>← 返回各机关数值</a>
      </p>
      <h1>{cell.label}</h1>
      <CellRecords cell={cell} valueId="agency-value" />
    </ConsoleLayout>
  )
}

/**
 * The confidentiality scan's standing findings on a report (report-scan.service.ts), with the 保密审查 reviewer's
 * clearance form and the return of an approved report to its drafter.
 */
function ScanFindings(props: {
  ctx: PageContext
  stored: StoredReport
  form: FormState
  canClear: boolean
  canReturn: boolean
}) {
  const { stored } = props
  const findings = findingsOf(stored)
  if (findings.length === 0) return null
  const base = `/console/reports/${stored.id}`
  const open = stored.status === 'in_review' || stored.status === 'approved'
  return (
    <section aria-labelledby="scan-h">
      <div class="error-summary" role="alert">
        <h2 id="scan-h">保密审查发现以下内容，报告不能发布</h2>
        {stored.status === 'draft' && (
          <p>每次保存叙述和提交审核时自动审查。请修改后保存；确需公开的，提交审核后由保密审查人员写明理由解除。</p>
        )}
        <ul>
          {findings.map((f) => (
            <li>
              <strong>{findingLabels[f.kind]}</strong>：{f.masked}（位于{surfaceLabel(f.surface)}）
              {!f.clearable && '，不可解除，请退回修改；已报公开办负责人'}
            </li>
          ))}
        </ul>
      </div>
      {props.canClear && open && findings.every((f) => f.clearable) && (
        <form method="post" action={`${base}/clear-findings`}>
          <Csrf token={props.ctx.csrf} />
          <Field form={props.form} name="reason" label="解除理由（保密审查）" hint="解除记录写入审计日志" required />
          <button type="submit" class="secondary">
            解除以上发现
          </button>
        </form>
      )}
      {props.canReturn && stored.status === 'approved' && (
        <form method="post" action={`${base}/return`}>
          <Csrf token={props.ctx.csrf} />
          <Field
            form={props.form}
            name="returnReason"
            label="退回起草人修改的理由"
            hint="起草人修改后重新提交，开始新一轮审核"
            required
          />
          <button type="submit" class="secondary">
            退回修改
          </button>
        </form>
      )}
    </section>
  )
}
