import fc from 'fast-check'
import { appealGroups, formats } from '../../src/reports/report-format.ts'
import type { FormatId } from '../../src/reports/report-format.ts'
import { blankReport } from '../../src/reports/report.ts'
import type { AnnualReport, Cell } from '../../src/reports/report.ts'

// Random reports that satisfy R1–R4, with blank cells sprinkled in, for render → import round trips;
// and random record dates that fall near a new year as often as not.

const hour = 3_600_000
const day = 24 * hour

/** The Beijing (UTC+8) calendar date of an instant, worked out here without the code under test. */
export const beijingDate = (ms: number): string => new Date(ms + 8 * hour).toISOString().slice(0, 10)

/**
 * A Beijing calendar date from 1 January of `from` to 31 December of `to`; half the time an instant
 * within two days of a Beijing new year (16:00 UTC on 31 December), where the counting rules of the
 * annual report change year: 31 December is still last year, 1 January the new one.
 */
export function reportDay(from: number, to: number): fc.Arbitrary<string> {
  const start = Date.UTC(from, 0, 1) - 8 * hour
  const anyDay = fc.integer({ min: 0, max: Math.round((Date.UTC(to, 11, 31) - Date.UTC(from, 0, 1)) / day) })
  const nearNewYear = fc
    .record({ year: fc.integer({ min: from + 1, max: to }), minutes: fc.integer({ min: -2 * 1440, max: 2 * 1440 }) })
    .map(({ year, minutes }) => Date.UTC(year - 1, 11, 31, 16) + minutes * 60_000)
  return fc.oneof(
    anyDay.map((d) => beijingDate(start + d * day + 12 * hour)),
    nearNewYear.map(beijingDate),
  )
}

/** Days from receipt to conclusion: any, or a few, so a case received near a new year ends near it too. */
export const daysToConclusion = (max: number): fc.Arbitrary<number> => fc.oneof(fc.nat({ max }), fc.nat({ max: 3 }))

const agencies = ['淮安市人民政府', '垫江县司法局', '某某区教育局', '城关镇人民政府', '市生态环境局']
const words = ['主动公开', '政策解读', '依申请公开', '平台建设', '监督保障', '栏目更新', '信息发布', '培训', '整改']

const sentence = fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 6 }).map((w) => `${w.join('，')}。`)
const narrative = fc.array(sentence, { minLength: 1, maxLength: 3 }).map((s) => s.join('\n'))
const count = fc.nat({ max: 400 })

function applicationsOf(format: FormatId, perRow: number[][], carriedIn: number[], carriedOut: number[]) {
  const f = formats[format]
  const rows: Record<string, Cell[]> = {}
  const outcomes = f.applicationRows.filter((r) => r.outcome)
  const withTotal = (six: number[]) => [...six, six.reduce((a, b) => a + b, 0)]
  outcomes.forEach((r, i) => {
    rows[r.code] = withTotal(perRow[i]!)
  })
  const total = [0, 1, 2, 3, 4, 5].map((c) => outcomes.reduce((s, _, i) => s + perRow[i]![c]!, 0))
  rows.TOTAL = withTotal(total)
  rows.CARRIED_IN = withTotal(carriedIn)
  rows.CARRIED_OUT = withTotal(carriedOut)
  // R1: new = total + carried out − carried in; made non-negative by construction of carriedIn ≤ total + carriedOut.
  rows.NEW = withTotal(total.map((t, c) => t + carriedOut[c]! - carriedIn[c]!))
  return Object.fromEntries(f.applicationRows.map((r) => [r.code, rows[r.code]!]))
}

export const arbitraryReport = (opts: { blanks?: boolean } = {}): fc.Arbitrary<AnnualReport> =>
  fc
    .record({
      format: fc.constantFrom<FormatId>('2019', '2021'),
      agency: fc.constantFrom(...agencies),
      perRow: fc.array(fc.array(count, { minLength: 6, maxLength: 6 }), { minLength: 22, maxLength: 22 }),
      carriedOut: fc.array(fc.nat({ max: 30 }), { minLength: 6, maxLength: 6 }),
      carriedInShare: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 6, maxLength: 6 }),
      appeals: fc.array(fc.array(fc.nat({ max: 60 }), { minLength: 4, maxLength: 4 }), { minLength: 3, maxLength: 3 }),
      article20: fc.array(fc.nat({ max: 100_000 }), { minLength: 12, maxLength: 12 }),
      change: fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 5, maxLength: 5 }),
      amountCents: fc.nat({ max: 10_000_000 }),
      blanks: opts.blanks ? fc.array(fc.nat({ max: 199 }), { maxLength: 8 }) : fc.constant([] as number[]),
      overview: narrative,
      problems: narrative,
      other: narrative,
    })
    .map((g) => {
      const year = g.format === '2019' ? 2020 : 2024
      const report = blankReport(g.format, year, g.agency)
      const f = formats[g.format]
      const outcomesCount = f.applicationRows.filter((r) => r.outcome).length
      const perRow = g.perRow.slice(0, outcomesCount)
      const total = [0, 1, 2, 3, 4, 5].map((c) => perRow.reduce((s, r) => s + r[c]!, 0))
      const carriedIn = total.map((t, c) => Math.floor((t + g.carriedOut[c]!) * g.carriedInShare[c]!))
      report.applications.rows = applicationsOf(g.format, perRow, carriedIn, g.carriedOut)
      appealGroups.forEach((grp, i) => {
        const four = g.appeals[i]!
        report.appeals[grp] = [...four, four.reduce((a, b) => a + b, 0)]
      })
      let k = 0
      for (const block of f.article20)
        for (const row of block.rows) {
          report.article20[row.key] = Object.fromEntries(
            row.columns.map((col) => {
              const value =
                col.kind === 'change'
                  ? g.change[k % 5]!
                  : col.kind === 'amountWan'
                    ? g.amountCents / 100
                    : g.article20[k % 12]!
              k++
              return [col.key, value]
            }),
          )
        }
      report.sections = { overview: g.overview, problems: g.problems, other: g.other }
      // Blank cells: chosen positions of section 三 become null (the arithmetic treats them as 0).
      const codes = Object.keys(report.applications.rows)
      for (const b of g.blanks) {
        const cells = report.applications.rows[codes[b % codes.length]!]!
        cells[Math.floor(b / codes.length) % 7] = null
      }
      return report
    })
