import { z } from 'zod'
import { applicantColumns, formats } from './report-format.ts'
import type { FormatId } from './report-format.ts'

// The report's statistics at the boundary: report-interchange.md, schema gongkai.annual-report/1.
// A blank cell is null, never 0.

export type Cell = number | null
export type Article20 = Record<string, Record<string, Cell>>
export type Applications = { columns: string[]; rows: Record<string, Cell[]> }
export type Appeals = { reconsideration?: Cell[]; litigationDirect?: Cell[]; litigationAfterReconsideration?: Cell[] }
export type Sections = { overview: string | null; problems: string | null; other: string | null }

export type AnnualReport = {
  schema: 'gongkai.annual-report/1'
  format: FormatId
  year: number | null
  agency: string | null
  article20: Article20
  applications: Applications
  appeals: Appeals
  sections: Sections
  missing: string[]
  /** Rows read but not assignable with certainty (digits run together with more than one reading). */
  ambiguous?: string[]
  /**
   * Rules the reading itself relied on to cut digits run together, by rule: the rows (R1, R2, R3)
   * or appeal groups (R4) whose cells were chosen by it. `report check` does not claim to check them.
   */
  relied?: Partial<Record<'R1' | 'R2' | 'R3' | 'R4', string[]>>
  /**
   * A 2021 report printing （六）其他处理 as one row (the older layout): its cells stand in
   * `applications.rows.OTHER` and the three sub-rows named here were not itemised by the source.
   */
  notItemised?: string[]
  /**
   * Column sums (R1, R3) that no reading of the listed rows' run-together digits satisfies, each
   * row's every reading having been tried: the source's figures do not add up there.
   */
  irreconcilable?: Partial<Record<'R1' | 'R3', string[]>>
  /** What the source did not let the importer determine: the year, the agency or the format. */
  undetermined?: ('year' | 'agency' | 'format')[]
}

const cell = z.number().nullable()
export const annualReportSchema = z.object({
  schema: z.literal('gongkai.annual-report/1'),
  format: z.enum(['2019', '2021']),
  year: z.number().int().nullable(),
  agency: z.string().nullable().default(null),
  article20: z.record(z.string(), z.record(z.string(), cell)),
  applications: z.object({ columns: z.array(z.string()), rows: z.record(z.string(), z.array(cell).length(7)) }),
  appeals: z.object({
    reconsideration: z.array(cell).length(5).optional(),
    litigationDirect: z.array(cell).length(5).optional(),
    litigationAfterReconsideration: z.array(cell).length(5).optional(),
  }),
  sections: z
    .object({ overview: z.string().nullable(), problems: z.string().nullable(), other: z.string().nullable() })
    .default({ overview: null, problems: null, other: null }),
  missing: z.array(z.string()).default([]),
  ambiguous: z.array(z.string()).optional(),
  relied: z.partialRecord(z.enum(['R1', 'R2', 'R3', 'R4']), z.array(z.string())).optional(),
  notItemised: z.array(z.string()).optional(),
  irreconcilable: z.partialRecord(z.enum(['R1', 'R3']), z.array(z.string())).optional(),
  undetermined: z.array(z.enum(['year', 'agency', 'format'])).optional(),
})

/** A report with every cell of the format present and blank: what an empty template holds. */
export function blankReport(format: FormatId, year: number | null = null, agency: string | null = null): AnnualReport {
  const f = formats[format]
  const article20: Article20 = {}
  for (const block of f.article20)
    for (const row of block.rows) article20[row.key] = Object.fromEntries(row.columns.map((c) => [c.key, null]))
  return {
    schema: 'gongkai.annual-report/1',
    format,
    year,
    agency,
    article20,
    applications: {
      columns: [...applicantColumns],
      rows: Object.fromEntries(f.applicationRows.map((r) => [r.code, Array<Cell>(7).fill(null)])),
    },
    appeals: {
      reconsideration: Array<Cell>(5).fill(null),
      litigationDirect: Array<Cell>(5).fill(null),
      litigationAfterReconsideration: Array<Cell>(5).fill(null),
    },
    sections: { overview: null, problems: null, other: null },
    missing: [],
  }
}
