import type { ComponentChildren } from 'preact'
import { formatShanghai } from '../clock.ts'
import { Csrf, ErrorSummary, Notice } from '../web/form.tsx'
import type { FormState } from '../web/form.tsx'
import { ConsoleLayout } from '../web/layout.tsx'
import type { PageContext } from '../web/layout.tsx'
import type { CheckResult } from './report-checks.ts'
import { sectionTitles } from './report-format.ts'
import { ReportBody, reportTitle } from './render/report-html.tsx'
import { exportKinds, exportLabels } from './render/report-export.ts'
import type { StoredReport } from './report.store.ts'
import { ReviewSection } from '../reviews/review.views.tsx'
import type { ReviewView } from '../reviews/review.views.tsx'

export const statusLabels: Record<string, string> = {
  draft: '草稿',
  in_review: '审核中',
  approved: '审核通过，待发布',
  published: '已发布',
  superseded: '已被更正版本取代',
  imported: '导入的往年报告',
}

export function Findings(props: { check: CheckResult; missing: string[] }) {
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
              <strong>{f.severity === 'error' ? '错误' : '提示'}</strong> {f.message}
            </li>
          ))}
        </ul>
      )}
      {notChecked.length > 0 && (
        <p class="hint">未检查：{notChecked.map((n) => `${n.rule}（${n.reason}）`).join('；')}</p>
      )}
      {props.missing.length > 0 && <p class="hint">缺失：{props.missing.join('、')}</p>}
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
          <p class="hint">粘贴从网页或文档复制的报告全文（含表格），用于与上一年度数据比对（X1–X3）。</p>
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
            <button type="submit">上传并导入</button>
          </form>
        </>
      )}
    </ConsoleLayout>
  )
}

function NarrativeField(props: { name: string; label: string; value: string | null; hint?: string }) {
  return (
    <div class="field wide">
      <label for={`f-${props.name}`}>{props.label}</label>
      {props.hint && (
        <p class="hint" id={`h-${props.name}`}>
          {props.hint}
        </p>
      )}
      <textarea
        id={`f-${props.name}`}
        name={props.name}
        rows={8}
        aria-describedby={props.hint ? `h-${props.name}` : undefined}
      >
        {props.value ?? ''}
      </textarea>
    </div>
  )
}

export function ReportPage(props: {
  ctx: PageContext
  stored: StoredReport
  check: CheckResult
  canEdit: boolean
  canPublish: boolean
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
      <Findings check={props.check} missing={stored.report.missing} />
      <Downloads base={base} />
      {draft && props.canEdit && (
        <section aria-labelledby="narrative-h">
          <h2 id="narrative-h">编辑叙述部分</h2>
          <p class="hint">可引用的计算数据：{props.figures.join('；')}</p>
          <form method="post" action={`${base}/narrative`}>
            <Csrf token={props.ctx.csrf} />
            <NarrativeField
              name="overview"
              label={sectionTitles.overview}
              value={stored.report.sections.overview}
              hint="主要包括主动公开、依申请公开、政府信息管理、平台建设、监督保障五个方面（国办公开办函〔2021〕30号）"
            />
            <NarrativeField name="problems" label={sectionTitles.problems} value={stored.report.sections.problems} />
            <NarrativeField
              name="other"
              label={sectionTitles.other}
              value={stored.report.sections.other}
              hint="在此报告收取信息处理费情况"
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
