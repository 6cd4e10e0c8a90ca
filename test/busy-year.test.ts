import { describe, expect, test } from 'vitest'
import { systemActor } from '../src/audit/audit.ts'
import { recordCalendarYear } from '../src/deadlines/calendar.service.ts'
import { generateBusyYear, tallyIntended } from '../src/demo/busy-year.ts'
import { checkReport } from '../src/reports/report-checks.ts'
import { computeReport } from '../src/reports/report-compute.ts'
import { recordsOf } from '../src/reports/report.service.ts'
import { buildStaff, setUpRegion } from './support/builders.ts'
import { databaseKinds, testEnv } from './support/test-deps.ts'

// A synthetic busy year driven through the same use cases the console calls: applications received
// from November 2025 to December 2026, every outcome, corrections, consultations, fees, carry-over
// into 2026 and out of it. The generator decides each application's intended report row itself
// (never through the product's mapping) and tallies the report; the computed report must equal
// that tally in every cell, pass R1–R4, and pass X1 against the 2025 report.

const count = Number(process.env.BUSY_YEAR_APPLICATIONS ?? 2000)

describe.each(databaseKinds)('a busy year on %s', (kind) => {
  test(`${count} applications with every outcome give a 2026 report equal to the generator's tally, passing R1–R4 and X1`, async () => {
    const t = await testEnv(kind, '2027-01-25T02:00:00Z')
    try {
      const { officeId } = await setUpRegion(t.deps)
      const s = await buildStaff(t.deps, { roles: ['handler'] })
      const handler = { ...systemActor('承办人'), id: s.id, agencyId: officeId, roles: ['handler'] }
      // Made-up 2027 notice (1 January off), so that December's due dates can be counted.
      await recordCalendarYear(t.deps, systemActor(), {
        year: 2027,
        source: '测试用 2027 年安排（非真实通知）',
        holidays: ['2027-01-01'],
        makeupWorkdays: [],
      })
      const intended = await generateBusyYear(t.deps, handler, 2026, count)

      const report2025 = computeReport(await recordsOf(t.deps, officeId, 2025), { year: 2025, format: '2021' }).report
      const report2026 = computeReport(await recordsOf(t.deps, officeId, 2026), { year: 2026, format: '2021' }).report
      const expected = tallyIntended(intended, 2026)
      for (const [code, cells] of Object.entries(report2026.applications.rows))
        expect(cells, code).toEqual(expected[code] ?? [0, 0, 0, 0, 0, 0, 0])
      // Every path was taken, and some applications were carried in and out.
      expect(Object.keys(expected).filter((k) => k.startsWith('OTHER_') || k.startsWith('NP_')).length).toBe(8)
      expect(expected.CARRIED_IN![6]).toBeGreaterThan(0)
      expect(expected.CARRIED_OUT![6]).toBeGreaterThan(0)
      const checks = checkReport(report2026, report2025)
      expect(checks.findings.filter((f) => ['R1', 'R2', 'R3', 'R4', 'X1'].includes(f.rule))).toEqual([])
      expect(checks.notChecked.map((n) => n.rule)).not.toContain('X1')
    } finally {
      await t.close()
    }
  }, 600_000)
})
