import { appealColumns, appealGroups, applicantColumns, checkNote, formats, sectionTitles } from '../report-format.ts'
import type { CellKind } from '../report-format.ts'
import type { AnnualReport, Cell } from '../report.ts'

// The three tables of a report as grids of cells with their spans, drawn once from the format
// definition (law-and-format.md §2.3–2.6). HTML, XLSX, DOCX and PDF all render these grids, so the
// layout is decided in one place.

export type GridCell =
  | { kind: 'label'; text: string; colSpan: number; rowSpan: number; note?: boolean }
  | {
      kind: 'value'
      value: Cell | undefined
      cellKind: CellKind
      colSpan: number
      rowSpan: number
      unit?: string
      ref: string
    }

export type Grid = { title: string; width: number; headerRows: number; rows: GridCell[][] }

const label = (text: string, colSpan = 1, rowSpan = 1): GridCell => ({ kind: 'label', text, colSpan, rowSpan })
/** A value cell; `ref` names it as findings and the basis of computed cells do (applications.NEW[0]). */
const value = (
  ref: string,
  v: Cell | undefined,
  cellKind: CellKind = 'count',
  colSpan = 1,
  unit?: string,
): GridCell => ({ kind: 'value', value: v, cellKind, colSpan, rowSpan: 1, ref, ...(unit ? { unit } : {}) })

export function article20Grid(report: AnnualReport): Grid {
  const f = formats[report.format]
  const rows: GridCell[][] = []
  for (const block of f.article20) {
    rows.push([label(block.caption, 4)])
    rows.push([
      label('信息内容'),
      ...block.columnLabels.map((l, i) =>
        label(l, i === block.columnLabels.length - 1 ? 4 - block.columnLabels.length : 1),
      ),
    ])
    for (const row of block.rows) {
      const values = report.article20[row.key]
      rows.push([
        label(row.label),
        ...row.columns.map((col, i) =>
          value(
            `article20.${row.key}.${col.key}`,
            values?.[col.key],
            col.kind,
            i === row.columns.length - 1 ? 4 - row.columns.length : 1,
            // The 2019 header gives no unit for 采购总金额; the amount is written with it (law-and-format.md §2.3).
            col.kind === 'amountWan' && report.format === '2019' ? '万元' : undefined,
          ),
        ),
      ])
    }
  }
  return { title: sectionTitles.article20, width: 4, headerRows: 0, rows }
}

export function applicationsGrid(report: AnnualReport): Grid {
  const f = formats[report.format]
  const data = report.applications.rows
  const cells = (code: string) => applicantColumns.map((_, i) => value(`applications.${code}[${i}]`, data[code]?.[i]))
  const outcomeCount = f.applicationRows.filter((r) => r.outcome || r.code === 'TOTAL').length
  const rows: GridCell[][] = [
    [{ ...label(checkNote, 3, 3), note: true } as GridCell, label('申请人情况', 7)],
    [label('自然人', 1, 2), label('法人或其他组织', 5), label('总计', 1, 2)],
    applicantColumns.slice(1, 6).map((c) => label(c)),
  ]
  let lastGroup: string | undefined
  let outcomeSeen = false
  for (const row of f.applicationRows) {
    if (row.code === 'NEW' || row.code === 'CARRIED_IN' || row.code === 'CARRIED_OUT') {
      rows.push([label(row.label, 3), ...cells(row.code)])
      continue
    }
    const line: GridCell[] = []
    if (!outcomeSeen) {
      line.push(label('三、本年度办理结果', 1, outcomeCount))
      outcomeSeen = true
    }
    if (row.group) {
      if (row.group !== lastGroup)
        line.push(label(row.group, 1, f.applicationRows.filter((r) => r.group === row.group).length))
      line.push(label(row.label))
    } else line.push(label(row.label, 2))
    lastGroup = row.group
    rows.push([...line, ...cells(row.code)])
  }
  return { title: sectionTitles.applications, width: 10, headerRows: 3, rows }
}

export function appealsGrid(report: AnnualReport): Grid {
  const a = report.appeals
  return {
    title: sectionTitles.appeals,
    width: 15,
    headerRows: 3,
    rows: [
      [label('行政复议', 5), label('行政诉讼', 10)],
      [...appealColumns.map((c) => label(c, 1, 2)), label('未经复议直接起诉', 5), label('复议后起诉', 5)],
      [...appealColumns.map((c) => label(c)), ...appealColumns.map((c) => label(c))],
      appealGroups.flatMap((g) => [0, 1, 2, 3, 4].map((i) => value(`appeals.${g}[${i}]`, a[g]?.[i]))),
    ],
  }
}

export const reportGrids = (report: AnnualReport): Grid[] => [
  article20Grid(report),
  applicationsGrid(report),
  appealsGrid(report),
]

/** A cell as printed: blank stays blank; a signed change shows its sign. */
export function cellText(cell: Extract<GridCell, { kind: 'value' }>): string {
  const v = cell.value
  if (v === null || v === undefined) return ''
  const text = cell.cellKind === 'change' && v > 0 ? `+${v}` : String(v)
  return cell.unit ? `${text}${cell.unit}` : text
}

/** Lays a grid out on a rectangle: for each row, the column each cell starts at (for XLSX merges). */
export function placeCells(grid: Grid): { row: number; col: number; cell: GridCell }[] {
  const taken = new Set<string>()
  const placed: { row: number; col: number; cell: GridCell }[] = []
  grid.rows.forEach((cells, r) => {
    let c = 0
    for (const cell of cells) {
      while (taken.has(`${r}:${c}`)) c++
      placed.push({ row: r, col: c, cell })
      for (let dr = 0; dr < cell.rowSpan; dr++)
        for (let dc = 0; dc < cell.colSpan; dc++) taken.add(`${r + dr}:${c + dc}`)
      c += cell.colSpan
    }
  })
  return placed
}
