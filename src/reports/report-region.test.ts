import fc from 'fast-check'
import { expect, test } from 'vitest'
import { checkReport } from './report-checks.ts'
import { computeReport } from './report-compute.ts'
import { rollUpRegion } from './report-region.ts'
import { applicantCategories, noRecords, outcomeCodes } from './report-records.ts'
import type { ApplicationRecord } from './report-records.ts'

const application = (id: number, day: string, concluded: string | null): ApplicationRecord => ({
  id,
  applicantCategory: applicantCategories[id % 6]!,
  receivedOn: day,
  concludedOn: concluded,
  outcome: concluded ? outcomeCodes[id % outcomeCodes.length]! : null,
})

test("the region's report is the sum of its agencies' and stays consistent", () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.array(
          fc.tuple(fc.integer({ min: 1, max: 360 }), fc.option(fc.integer({ min: 0, max: 200 }), { nil: null })),
          { maxLength: 40 },
        ),
        { minLength: 1, maxLength: 6 },
      ),
      (agencies) => {
        const parts = agencies.map((apps, a) => {
          const records = apps.map(([d, wait], i) => {
            const received = new Date(Date.UTC(2024, 0, d))
            const concluded =
              wait === null ? null : new Date(received.getTime() + wait * 86_400_000).toISOString().slice(0, 10)
            return application(a * 1000 + i, received.toISOString().slice(0, 10), concluded)
          })
          return {
            agencyId: a + 1,
            agencyName: `机关${a + 1}`,
            report: computeReport({ ...noRecords, applications: records }, { year: 2024 }).report,
          }
        })
        const region = rollUpRegion('某县', 2024, '2021', parts)
        expect(checkReport(region.report).findings.filter((f) => f.severity === 'error')).toEqual([])
        const sumNew = parts.reduce((s, p) => s + (p.report.applications.rows.NEW![6] ?? 0), 0)
        expect(region.report.applications.rows.NEW![6]).toBe(sumNew)
        expect(region.agencies.map((a) => a.agencyName)).toEqual(parts.map((p) => p.agencyName))
      },
    ),
    { numRuns: 60 },
  )
})

test('a report of another year or format is left out and says why; blanks everywhere stay blank', () => {
  const a = computeReport(noRecords, { year: 2024, agency: '甲局' }).report
  const b = computeReport(noRecords, { year: 2023, agency: '乙局' }).report
  a.article20.fees = { amountWan: null }
  const region = rollUpRegion('某县', 2024, '2021', [
    { agencyId: 1, agencyName: '甲局', report: a },
    { agencyId: 2, agencyName: '乙局', report: b },
  ])
  expect(region.excluded).toEqual([{ agencyName: '乙局', reason: '报告年度或格式不符（2023年，2021格式）' }])
  expect(region.report.article20.fees).toEqual({ amountWan: null })
  expect(region.report.agency).toBe('某县')
})
