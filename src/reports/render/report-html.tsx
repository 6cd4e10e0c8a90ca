import type { ComponentChildren } from 'preact'
import { renderToString } from 'preact-render-to-string'
import { sectionTitles } from '../report-format.ts'
import type { AnnualReport } from '../report.ts'
import { appealsGrid, applicationsGrid, article20Grid, cellText } from './report-grid.ts'
import type { Grid, GridCell } from './report-grid.ts'

// The report in the official table layout (law-and-format.md §2.3–2.6): rowspans and colspans as
// the format draws them, the 勾稽关系 note in the header cell. Used by the portal, for printing and
// as the HTML export. A blank cell stays empty; no hidden copy of the data is carried.

export const reportTitle = (r: AnnualReport) =>
  `${r.agency ?? ''}${r.year ? `${r.year}年` : ''}政府信息公开工作年度报告`

/** Where a computed cell links to the records behind it (the console); none on the portal. */
export type CellLink = (ref: string) => string | undefined

function GridTable(props: { grid: Grid; className: string; cellLink?: CellLink | undefined }) {
  const { grid } = props
  const head = grid.rows.slice(0, grid.headerRows)
  const body = grid.rows.slice(grid.headerRows)
  const render = (cells: GridCell[], inHead: boolean) => (
    <tr>
      {cells.map((cell) =>
        cell.kind === 'label' ? (
          <th
            colSpan={cell.colSpan}
            rowSpan={cell.rowSpan}
            scope={inHead ? (cell.colSpan > 1 ? 'colgroup' : 'col') : cell.rowSpan > 1 ? 'rowgroup' : 'row'}
            class={cell.note ? 'note' : undefined}
          >
            {cell.text}
          </th>
        ) : (
          <td colSpan={cell.colSpan}>{valueContent(cell, props.cellLink)}</td>
        ),
      )}
    </tr>
  )
  return (
    <table class={`report-table ${props.className}`}>
      <caption>{grid.title}</caption>
      {head.length > 0 && <thead>{head.map((r) => render(r, true))}</thead>}
      <tbody>{body.map((r) => render(r, false))}</tbody>
    </table>
  )
}

function Narrative(props: { text: string | null }) {
  const paragraphs = (props.text ?? '')
    .split(/\n+/)
    .map((p) => p.trim())
    .filter(Boolean)
  return <>{paragraphs.length ? paragraphs.map((p) => <p>{p}</p>) : <p>无。</p>}</>
}

function valueContent(cell: Extract<GridCell, { kind: 'value' }>, link: CellLink | undefined) {
  const text = cellText(cell)
  const href = text && link ? link(cell.ref) : undefined
  return href ? (
    <a href={href} title="查看计入此数的记录">
      {text}
    </a>
  ) : (
    text
  )
}

type Level = 1 | 2 | 3
const Heading = (props: { level: number; children: ComponentChildren }) => {
  const Tag = `h${Math.min(6, props.level)}` as 'h2'
  return <Tag>{props.children}</Tag>
}

function Section(props: { title: string; level: number; children: ComponentChildren }) {
  return (
    <section>
      <Heading level={props.level}>{props.title}</Heading>
      {props.children}
    </section>
  )
}

/** The body of the report: title, the six sections, the three tables; `level` is the title's heading level. */
export function ReportBody(props: { report: AnnualReport; level?: Level; cellLink?: CellLink | undefined }) {
  const r = props.report
  const level = props.level ?? 1
  const sub = level + 1
  return (
    <article class="annual-report">
      <Heading level={level}>{reportTitle(r)}</Heading>
      <Section level={sub} title={sectionTitles.overview}>
        <Narrative text={r.sections.overview} />
      </Section>
      <Section level={sub} title={sectionTitles.article20}>
        <GridTable grid={article20Grid(r)} className="article20" cellLink={props.cellLink} />
      </Section>
      <Section level={sub} title={sectionTitles.applications}>
        <GridTable grid={applicationsGrid(r)} className="applications" cellLink={props.cellLink} />
      </Section>
      <Section level={sub} title={sectionTitles.appeals}>
        <GridTable grid={appealsGrid(r)} className="appeals" cellLink={props.cellLink} />
      </Section>
      <Section level={sub} title={sectionTitles.problems}>
        <Narrative text={r.sections.problems} />
      </Section>
      <Section level={sub} title={sectionTitles.other}>
        <Narrative text={r.sections.other} />
      </Section>
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
      <head>
        <meta charset="utf-8" />
        <title>{reportTitle(report)}</title>
        <style dangerouslySetInnerHTML={{ __html: printCss }} />
      </head>
      <body>
        <ReportBody report={report} />
      </body>
    </html>,
  )}`
}
