import fc from 'fast-check'
import { expect, test } from 'vitest'
import { checkReport } from './report-checks.ts'
import { computeReport, feeStatement, withFeeStatement } from './report-compute.ts'
import { applicantCategories, noRecords, outcomeCodes } from './report-records.ts'
import type { AgencyYearRecords, ApplicationRecord, AppealRecord } from './report-records.ts'
import { daysToConclusion, reportDay } from '../../test/support/report-arbitrary.ts'

// Random record sets: R1–R4 always hold, and every cell equals a tally of the records made here
// independently, one record at a time.

// Half the dates fall within two days of a new year, where carried-in and carried-out change year.
const day = reportDay(2022, 2025)

const application = fc
  .record({
    id: fc.uuid(),
    applicantCategory: fc.constantFrom(...applicantCategories),
    receivedOn: day,
    days: fc.option(daysToConclusion(400), { nil: null }),
    outcome: fc.constantFrom(...outcomeCodes),
  })
  .map(({ days, ...a }): ApplicationRecord => ({
    ...a,
    concludedOn:
      days === null
        ? null
        : new Date(Date.parse(`${a.receivedOn}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10),
    outcome: days === null ? null : a.outcome,
  }))

const appeal = fc
  .record({
    id: fc.uuid(),
    kind: fc.constantFrom(
      'reconsideration' as const,
      'litigationDirect' as const,
      'litigationAfterReconsideration' as const,
    ),
    filedOn: day,
    concludedOn: fc.option(day, { nil: null }),
    result: fc.option(fc.constantFrom('upheld' as const, 'corrected' as const, 'other' as const), { nil: null }),
  })
  .map((c): AppealRecord => (c.concludedOn && c.concludedOn < c.filedOn ? { ...c, concludedOn: c.filedOn } : c))

const records = fc
  .record({ applications: fc.array(application, { maxLength: 120 }), appeals: fc.array(appeal, { maxLength: 20 }) })
  .map((r): AgencyYearRecords => ({ ...noRecords, ...r }))

test('a computed report always satisfies R1–R5, and each section 三 cell is an independent tally of its records', () => {
  fc.assert(
    fc.property(records, fc.constantFrom(2023, 2024), (recs, year) => {
      const { report, basis } = computeReport(recs, { year })
      expect(checkReport(report).findings.filter((f) => f.severity === 'error')).toEqual([])
      // Independent tally: walk the records once, decide each one's rows by the plain definitions.
      const expected: Record<string, number[]> = {}
      const bump = (code: string, col: number) => {
        expected[code] ??= [0, 0, 0, 0, 0, 0, 0]
        expected[code][col]! += 1
        expected[code][6]! += 1
      }
      const start = `${year}-01-01`
      const end = `${year}-12-31`
      for (const a of recs.applications) {
        const col = applicantCategories.indexOf(a.applicantCategory)
        const concluded = (by: string) => a.concludedOn !== null && a.concludedOn <= by
        if (a.receivedOn >= start && a.receivedOn <= end) bump('NEW', col)
        if (a.receivedOn < start && !concluded(`${year - 1}-12-31`)) bump('CARRIED_IN', col)
        if (a.concludedOn !== null && a.concludedOn >= start && a.concludedOn <= end) {
          bump(a.outcome!, col)
          bump('TOTAL', col)
        }
        if (a.receivedOn <= end && !concluded(end)) bump('CARRIED_OUT', col)
      }
      for (const [code, cells] of Object.entries(report.applications.rows)) {
        expect(cells, code).toEqual(expected[code] ?? [0, 0, 0, 0, 0, 0, 0])
        cells.forEach((n, col) => expect(basis.get(`applications.${code}[${col}]`)?.length ?? 0).toBe(n))
      }
    }),
    { numRuns: 150 },
  )
})

test("last year's carried-out is this year's carried-in (X1 by construction)", () => {
  fc.assert(
    fc.property(records, (recs) => {
      const y2023 = computeReport(recs, { year: 2023 }).report
      const y2024 = computeReport(recs, { year: 2024 }).report
      expect(checkReport(y2024, y2023).findings.filter((f) => f.rule === 'X1')).toEqual([])
    }),
    { numRuns: 80 },
  )
})

test('an application concluded on 1 January is carried into that year and not carried out of it', () => {
  // Received 30 December 2025 and concluded in the first minutes of 1 January 2026, Beijing time
  // (2025-12-31T16:05Z): pending at the end of 2025, so counted in 2025's 四 and 2026's 二.
  const recs: AgencyYearRecords = {
    ...noRecords,
    applications: [
      {
        id: 'A-1',
        applicantCategory: 'natural',
        receivedOn: '2025-12-30',
        concludedOn: '2026-01-01',
        outcome: 'GRANTED',
      },
    ],
  }
  const y2025 = computeReport(recs, { year: 2025 }).report.applications.rows
  const y2026 = computeReport(recs, { year: 2026 }).report.applications.rows
  expect(y2025.CARRIED_OUT).toEqual([1, 0, 0, 0, 0, 0, 1])
  expect(y2025.TOTAL).toEqual([0, 0, 0, 0, 0, 0, 0])
  expect(y2026.CARRIED_IN).toEqual([1, 0, 0, 0, 0, 0, 1])
  expect(y2026.GRANTED).toEqual([1, 0, 0, 0, 0, 0, 1])
  expect(y2026.CARRIED_OUT).toEqual([0, 0, 0, 0, 0, 0, 0])
})

test('why is this cell 2? the basis lists the two applications it counted', () => {
  const recs: AgencyYearRecords = {
    ...noRecords,
    applications: [
      {
        id: 'A-1',
        applicantCategory: 'natural',
        receivedOn: '2024-03-02',
        concludedOn: '2024-03-20',
        outcome: 'PARTIAL',
      },
      {
        id: 'A-2',
        applicantCategory: 'natural',
        receivedOn: '2023-12-30',
        concludedOn: '2024-01-15',
        outcome: 'PARTIAL',
      },
      { id: 'A-3', applicantCategory: 'commercial', receivedOn: '2024-12-31', concludedOn: null, outcome: null },
      {
        id: 'A-4',
        applicantCategory: 'natural',
        receivedOn: '2024-05-01',
        concludedOn: '2025-01-04',
        outcome: 'GRANTED',
      },
    ],
  }
  const { report, basis } = computeReport(recs, { year: 2024, agency: '垫江县司法局' })
  expect(report.format).toBe('2021')
  expect(report.applications.rows.PARTIAL).toEqual([2, 0, 0, 0, 0, 0, 2])
  expect(basis.get('applications.PARTIAL[0]')).toEqual(['A-1', 'A-2'])
  expect(report.applications.rows.CARRIED_IN).toEqual([1, 0, 0, 0, 0, 0, 1])
  expect(report.applications.rows.CARRIED_OUT).toEqual([1, 1, 0, 0, 0, 0, 2])
  expect(basis.get('applications.CARRIED_OUT[6]')).toEqual(['A-3', 'A-4'])
})

test('the 2019 format folds the three 其他处理 outcomes into one row and counts catalogue items and procurement', () => {
  const recs: AgencyYearRecords = {
    ...noRecords,
    applications: [
      {
        id: 1,
        applicantCategory: 'legalService',
        receivedOn: '2020-02-02',
        concludedOn: '2020-03-01',
        outcome: 'OTHER_NO_FEE',
      },
      {
        id: 2,
        applicantCategory: 'legalService',
        receivedOn: '2020-02-03',
        concludedOn: '2020-03-01',
        outcome: 'OTHER_OTHER',
      },
    ],
    catalogue: [
      { id: 'L1', itemType: 'licensing', validFrom: '2018-01-01', validTo: null },
      { id: 'L2', itemType: 'licensing', validFrom: '2018-01-01', validTo: '2020-06-30' },
      { id: 'L3', itemType: 'licensing', validFrom: '2020-05-01', validTo: null },
      { id: 'L4', itemType: 'licensing', validFrom: '2020-07-01', validTo: null },
    ],
    decisions: [{ id: 'D', kind: 'licensing', decidedOn: '2020-08-08', count: 6 }],
    procurement: [
      { id: 'P1', contractedOn: '2020-04-01', amountFen: 30_000_000 },
      { id: 'P2', contractedOn: '2020-09-01', amountFen: 14_480_000 },
    ],
  }
  const { report } = computeReport(recs, { year: 2020 })
  expect(report.format).toBe('2019')
  expect(report.applications.rows.OTHER).toEqual([0, 0, 0, 0, 2, 0, 2])
  expect(report.article20.licensing).toEqual({ previousYearItems: 2, change: 1, decisions: 6 })
  expect(report.article20.procurement).toEqual({ projects: 2, amountWan: 44.48 })
})

test('appeals count the state on 31 December; a case concluded in January is still 尚未审结', () => {
  const recs: AgencyYearRecords = {
    ...noRecords,
    appeals: [
      { id: 'R1', kind: 'reconsideration', filedOn: '2024-03-01', concludedOn: '2024-05-01', result: 'upheld' },
      { id: 'R2', kind: 'reconsideration', filedOn: '2024-11-01', concludedOn: '2025-01-10', result: 'corrected' },
      { id: 'L1', kind: 'litigationDirect', filedOn: '2023-11-01', concludedOn: '2024-02-10', result: 'other' },
    ],
  }
  expect(computeReport(recs, { year: 2024 }).report.appeals).toEqual({
    reconsideration: [1, 0, 0, 1, 2],
    litigationDirect: [0, 0, 0, 0, 0],
    litigationAfterReconsideration: [0, 0, 0, 0, 0],
  })
  expect(
    computeReport(recs, { year: 2024, appealsScope: 'filedOrConcludedInYear' }).report.appeals.litigationDirect,
  ).toEqual([0, 0, 1, 0, 1])
})

test("recomputing refreshes the fee statement leading section 六 and keeps the drafters' text after it (109号)", () => {
  const old = '2025年未收取信息处理费。\n本年度政务公开工作要点均已落实。'
  const statement = feeStatement(2025, [{ id: 'A-1', paidOn: '2025-06-01', amountYuan: 380 }])
  expect(statement).toBe('2025年有1件政府信息公开申请案件收取信息处理费380元。')
  expect(withFeeStatement(old, statement)).toBe(`${statement}\n本年度政务公开工作要点均已落实。`)
  expect(withFeeStatement('本年度政务公开工作要点均已落实。', statement)).toBe(
    `${statement}\n本年度政务公开工作要点均已落实。`,
  )
  expect(withFeeStatement(null, statement)).toBe(statement)
})
