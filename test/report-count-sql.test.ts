import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { computeReport } from '../src/reports/report-compute.ts'
import { countApplicationsSql, loadApplicationRecords } from '../src/reports/report-count.sql.ts'
import { applicantCategories, noRecords, outcomeCodes } from '../src/reports/report-records.ts'
import type { ApplicationRecord } from '../src/reports/report-records.ts'
import { computeDraft, findOwnReport } from '../src/reports/report.service.ts'
import { systemActor } from '../src/audit/audit.ts'
import { setUpRegion } from './support/builders.ts'
import { daysToConclusion, reportDay } from './support/report-arbitrary.ts'
import { databaseKinds, testEnv } from './support/test-deps.ts'

// Half the dates fall within two days of a new year, where carried-in and carried-out change year.
const day = reportDay(2022, 2025)
const application = fc.record({
  applicantCategory: fc.constantFrom(...applicantCategories),
  receivedOn: day,
  wait: fc.option(daysToConclusion(500), { nil: null }),
  outcome: fc.constantFrom(...outcomeCodes),
})

describe.each(databaseKinds)('section 三 counted in SQL on %s', (kind) => {
  test('equals the pure computation for random applications, in both formats', async () => {
    const t = await testEnv(kind)
    try {
      const { officeId } = await setUpRegion(t.deps)
      let batch = 0
      await fc.assert(
        fc.asyncProperty(
          fc.array(application, { maxLength: 60, size: 'medium' }),
          fc.constantFrom(2020, 2023, 2024),
          async (apps, year) => {
            batch++
            await t.deps.db.deleteFrom('applications').execute()
            const records: ApplicationRecord[] = apps.map((a, i) => {
              const concludedOn =
                a.wait === null
                  ? null
                  : new Date(Date.parse(`${a.receivedOn}T00:00:00Z`) + a.wait * 86_400_000).toISOString().slice(0, 10)
              return {
                id: `B${batch}-${i}`,
                applicantCategory: a.applicantCategory,
                receivedOn: a.receivedOn,
                concludedOn,
                outcome: concludedOn ? a.outcome : null,
              }
            })
            if (records.length) {
              await t.deps.db
                .insertInto('applications')
                .values(
                  records.map((r) => ({
                    agency_id: officeId,
                    number: String(r.id),
                    applicant_category: r.applicantCategory,
                    received_on: r.receivedOn,
                    concluded_on: r.concludedOn,
                    outcome: r.outcome,
                    created_at: '2026-01-01T00:00:00Z',
                  })),
                )
                .execute()
            }
            const pure = computeReport({ ...noRecords, applications: records }, { year }).report
            const inSql = await countApplicationsSql(t.deps.db, [officeId], year, pure.format)
            expect(inSql).toEqual(pure.applications.rows)
            const loaded = await loadApplicationRecords(t.deps.db, officeId, year)
            expect(computeReport({ ...noRecords, applications: loaded }, { year }).report.applications.rows).toEqual(
              pure.applications.rows,
            )
          },
        ),
        { numRuns: 25 },
      )
    } finally {
      await t.close()
    }
  })

  test('an application concluded on 1 January is carried into that year and not carried out of it', async () => {
    const t = await testEnv(kind)
    try {
      const { officeId } = await setUpRegion(t.deps)
      // Received 30 December 2025, concluded in the first minutes of 1 January 2026, Beijing time.
      await t.deps.db
        .insertInto('applications')
        .values({
          agency_id: officeId,
          number: 'YS-2025-0099',
          applicant_category: 'natural',
          received_on: '2025-12-30',
          concluded_on: '2026-01-01',
          outcome: 'GRANTED',
          created_at: '2025-12-30T02:00:00Z',
        })
        .execute()
      const y2025 = await countApplicationsSql(t.deps.db, [officeId], 2025, '2021')
      const y2026 = await countApplicationsSql(t.deps.db, [officeId], 2026, '2021')
      expect(y2025.CARRIED_OUT).toEqual([1, 0, 0, 0, 0, 0, 1])
      expect(y2026.CARRIED_IN).toEqual([1, 0, 0, 0, 0, 0, 1])
      expect(y2026.GRANTED).toEqual([1, 0, 0, 0, 0, 0, 1])
      expect(y2026.CARRIED_OUT).toEqual([0, 0, 0, 0, 0, 0, 0])
    } finally {
      await t.close()
    }
  })

  test("a computed draft counts the agency's stored applications", async () => {
    const t = await testEnv(kind, '2025-01-10T02:00:00Z')
    try {
      const { officeId } = await setUpRegion(t.deps)
      await t.deps.db
        .insertInto('applications')
        .values([
          {
            agency_id: officeId,
            number: 'YS-2024-0001',
            applicant_category: 'natural',
            received_on: '2024-03-01',
            concluded_on: '2024-03-20',
            outcome: 'GRANTED',
            created_at: 'x',
          },
          {
            agency_id: officeId,
            number: 'YS-2024-0002',
            applicant_category: 'commercial',
            received_on: '2024-12-30',
            concluded_on: null,
            outcome: null,
            created_at: 'x',
          },
        ])
        .execute()
      const actor = { ...systemActor(), id: 1, agencyId: officeId }
      const draft = await findOwnReport(t.deps, actor, await computeDraft(t.deps, actor, 2024))
      expect(draft.report.applications.rows.NEW).toEqual([1, 1, 0, 0, 0, 0, 2])
      expect(draft.report.applications.rows.GRANTED).toEqual([1, 0, 0, 0, 0, 0, 1])
      expect(draft.report.applications.rows.CARRIED_OUT).toEqual([0, 1, 0, 0, 0, 0, 1])
    } finally {
      await t.close()
    }
  })
})

describe.each(databaseKinds)('why is this cell 1? on %s', (kind) => {
  test('a computed cell links to the applications it counted', async () => {
    const { testApp } = await import('./support/app.ts')
    const { buildStaff, signIn } = await import('./support/builders.ts')
    const t = await testApp(kind)
    try {
      t.clock.set('2025-01-10T02:00:00Z')
      await t.deps.db
        .insertInto('applications')
        .values([
          {
            agency_id: t.officeId,
            number: 'YS-2024-0007',
            applicant_category: 'legalService',
            received_on: '2024-06-01',
            concluded_on: '2024-06-20',
            outcome: 'PARTIAL',
            created_at: 'x',
          },
        ])
        .execute()
      const staff = await buildStaff(t.deps, { roles: ['drafter'] })
      const s = await signIn(t.app, staff)
      const made = await t.app.inject({
        method: 'POST',
        url: '/console/reports',
        headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: `_csrf=${encodeURIComponent(s.csrf)}&year=2024`,
      })
      const page = await t.app.inject({ url: String(made.headers.location), headers: { cookie: s.cookie } })
      const link = /href="([^"]*cell\?ref=applications\.PARTIAL%5B4%5D)"/.exec(page.body)?.[1]
      expect(link).toBeDefined()
      const cell = await t.app.inject({ url: link!.replace(/&amp;/g, '&'), headers: { cookie: s.cookie } })
      expect(cell.statusCode).toBe(200)
      expect(cell.body).toContain('YS-2024-0007')
      expect(cell.body).toContain('（二）部分公开')
      expect(cell.body).toContain('法律服务机构')
    } finally {
      await t.close()
    }
  })
})
