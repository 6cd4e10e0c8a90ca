import type { ComponentChildren } from 'preact'
import { renderToString } from 'preact-render-to-string'
import { appealColumns, appealGroups, applicantColumns, checkNote, formats, sectionTitles } from '../report-format.ts'
import type { Article20Column, CellKind } from '../report-format.ts'
import type { AnnualReport, Cell } from '../report.ts'

// The report in the official table layout (law-and-format.md §2.3–2.6): rowspans and colspans as
// the format draws them, the 勾稽关系 note in the header cell. Used by the portal, for printing and
// as the HTML export. A blank cell stays empty; no hidden copy of the data is carried.

export const reportTitle = (r: AnnualReport) => `${r.agency ?? ''}${r.year ? `${r.year}年` : ''}政府信息公开工作年度报告`

export function formatCell(value: Cell | undefined, kind: CellKind = 'count'): string {
  if (value === null || value === undefined) return ''
  if (kind === 'change') return value > 0 ? `+${value}` : String(value)
  return String(value)
}

function Article20Table(props: { report: AnnualReport }) {
  const f = formats[props.report.format]
  return (
    <table class="report-table article20">
      <caption>{sectionTitles.article20}</caption>
      <tbody>
        {f.article20.map((block) => (
          <>
            <tr><th colSpan={4} scope="colgroup" class="block-caption">{block.caption}</th></tr>
            <tr>
              <th scope="col">信息内容</th>
              {block.columnLabels.map((label, i) => (
                <th scope="col" colSpan={i === block.columnLabels.length - 1 ? 4 - block.columnLabels.length : 1}>{label}</th>
              ))}
            </tr>
            {block.rows.map((row) => {
              const values = props.report.article20[row.key]
              return (
                <tr>
                  <th scope="row">{row.label}</th>
                  {row.columns.map((col: Article20Column, i) => (
                    <td colSpan={i === row.columns.length - 1 ? 4 - row.columns.length : 1}>
                      {formatCell(values?.[col.key], col.kind)}{col.kind === 'amountWan' && props.report.format === '2019' && values?.[col.key] != null ? '万元' : ''}
                    </td>
                  ))}
                </tr>
              )
            })}
          </>
        ))}
      </tbody>
    </table>
  )
}

function ApplicationsTable(props: { report: AnnualReport }) {
  const f = formats[props.report.format]
  const rows = props.report.applications.rows
  const outcomeRows = f.applicationRows.filter((r) => r.outcome || r.code === 'TOTAL')
  const groupSize = (group: string) => f.applicationRows.filter((r) => r.group === group).length
  const cells = (code: string) => applicantColumns.map((_, i) => <td>{formatCell(rows[code]?.[i])}</td>)
  let lastGroup: string | undefined
  return (
    <table class="report-table applications">
      <caption>{sectionTitles.applications}</caption>
      <thead>
        <tr><th colSpan={3} rowSpan={3} scope="col" class="note">{checkNote}</th><th colSpan={7} scope="colgroup">申请人情况</th></tr>
        <tr><th rowSpan={2} scope="col">自然人</th><th colSpan={5} scope="colgroup">法人或其他组织</th><th rowSpan={2} scope="col">总计</th></tr>
        <tr>{applicantColumns.slice(1, 6).map((c) => <th scope="col">{c}</th>)}</tr>
      </thead>
      <tbody>
        {f.applicationRows.map((row) => {
          const first = row.code === outcomeRows[0]?.code
          const groupCell = row.group && row.group !== lastGroup ? <th rowSpan={groupSize(row.group)} scope="rowgroup">{row.group}</th> : null
          lastGroup = row.group
          if (row.code === 'NEW' || row.code === 'CARRIED_IN' || row.code === 'CARRIED_OUT') {
            return <tr><th colSpan={3} scope="row">{row.label}</th>{cells(row.code)}</tr>
          }
          return (
            <tr>
              {first && <th rowSpan={outcomeRows.length} scope="rowgroup">三、本年度办理结果</th>}
              {row.group ? <>{groupCell}<th scope="row">{row.label}</th></> : <th colSpan={2} scope="row">{row.label}</th>}
              {cells(row.code)}
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}

function AppealsTable(props: { report: AnnualReport }) {
  const a = props.report.appeals
  const labels = appealColumns.map((c) => <th scope="col">{c}</th>)
  return (
    <table class="report-table appeals">
      <caption>{sectionTitles.appeals}</caption>
      <thead>
        <tr><th colSpan={5} scope="colgroup">行政复议</th><th colSpan={10} scope="colgroup">行政诉讼</th></tr>
        <tr>{appealColumns.map((c) => <th rowSpan={2} scope="col">{c}</th>)}<th colSpan={5} scope="colgroup">未经复议直接起诉</th><th colSpan={5} scope="colgroup">复议后起诉</th></tr>
        <tr>{labels}{labels}</tr>
      </thead>
      <tbody>
        <tr>{appealGroups.flatMap((g) => [0, 1, 2, 3, 4].map((i) => <td>{formatCell(a[g]?.[i])}</td>))}</tr>
      </tbody>
    </table>
  )
}

function Narrative(props: { text: string | null }) {
  const paragraphs = (props.text ?? '').split(/\n+/).map((p) => p.trim()).filter(Boolean)
  return <>{paragraphs.length ? paragraphs.map((p) => <p>{p}</p>) : <p>无。</p>}</>
}

function Section(props: { title: string; children: ComponentChildren }) {
  return <section><h2>{props.title}</h2>{props.children}</section>
}

/** The body of the report: title, the six sections, the three tables. */
export function ReportBody(props: { report: AnnualReport }) {
  const r = props.report
  return (
    <article class="annual-report">
      <h1>{reportTitle(r)}</h1>
      <Section title={sectionTitles.overview}><Narrative text={r.sections.overview} /></Section>
      <Section title={sectionTitles.article20}><Article20Table report={r} /></Section>
      <Section title={sectionTitles.applications}><ApplicationsTable report={r} /></Section>
      <Section title={sectionTitles.appeals}><AppealsTable report={r} /></Section>
      <Section title={sectionTitles.problems}><Narrative text={r.sections.problems} /></Section>
      <Section title={sectionTitles.other}><Narrative text={r.sections.other} /></Section>
    </article>
  )
}

const printCss = `body{font-family:"Noto Serif CJK SC","SimSun",serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.8}
h1{text-align:center;font-size:1.5rem}h2{font-size:1.15rem}table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}
th,td{border:1px solid #333;padding:.25rem .4rem;text-align:center;font-weight:normal}caption{text-align:left;font-weight:bold}.note{font-size:.85rem}`

/** A standalone HTML document of the report, for download and printing. */
export function renderReportDocument(report: AnnualReport): string {
  return `<!doctype html>${renderToString(
    <html lang="zh-CN">
      <head><meta charset="utf-8" /><title>{reportTitle(report)}</title><style dangerouslySetInnerHTML={{ __html: printCss }} /></head>
      <body><ReportBody report={report} /></body>
    </html>,
  )}`
}
