import { describe, expect, test } from 'vitest'
import { concludeAppeal, recordAppeal } from '../src/applications/appeal.service.ts'
import { searchAudit } from '../src/audit/audit.service.ts'
import { computeDraft, findOwnReport } from '../src/reports/report.service.ts'
import { readAppealsCounting, saveAppealsCounting } from '../src/reports/report-settings.service.ts'
import { buildAgency, buildStaffActor } from './support/build-application.ts'
import { buildStaff, form, signIn } from './support/builders.ts'
import { testApp } from './support/app.ts'
import type { TestEnv } from './support/test-deps.ts'
import { databaseKinds, testEnv } from './support/test-deps.ts'

// Section 四 of the annual report (行政复议、行政诉讼情况): a case filed in one year and decided in the next is
// counted by the region's choice, made by the supervising office (law-and-format.md §2.6: "whether cases filed in
// earlier years but concluded this year are included varies by province. Make it a setting").

const post = (cookie: string) => ({ cookie, 'content-type': 'application/x-www-form-urlencoded' })

/** A 行政复议 filed on 2025-11-20 against the office and decided 维持 on 2026-02-10. */
async function caseAcrossTheYearEnd(t: TestEnv) {
  const handler = await buildStaffActor(t.deps, { roles: ['handler'] })
  t.clock.set('2026-03-01T02:00:00Z')
  const id = await recordAppeal(t.deps, handler, { kind: 'reconsideration', filedOn: '2025-11-20' })
  await concludeAppeal(t.deps, handler, id, { rawResult: '维持', concludedOn: '2026-02-10' })
  return handler
}

async function reconsiderationCells(t: TestEnv, year: number) {
  const drafter = await buildStaffActor(t.deps, { roles: ['drafter'] })
  const id = await computeDraft(t.deps, drafter, year)
  return (await findOwnReport(t.deps, drafter, id)).report.appeals.reconsideration
}

describe.each(databaseKinds)('section 四 counting chosen by the supervising office on %s', (kind) => {
  test('by filing year (the default) the case filed in 2025 and decided in 2026 counts only in 2025, as 尚未审结 (§2.6)', async () => {
    const t = await testEnv(kind, '2026-03-01T02:00:00Z')
    try {
      await caseAcrossTheYearEnd(t)
      expect(await readAppealsCounting(t.deps.db)).toBe('filingYear')
      expect(await reconsiderationCells(t, 2025)).toEqual([0, 0, 0, 1, 1])
      expect(await reconsiderationCells(t, 2026)).toEqual([0, 0, 0, 0, 0])
    } finally {
      await t.close()
    }
  })

  test('by conclusion year the same case counts in 2026 with its result 维持, and is audited (§2.6)', async () => {
    const t = await testEnv(kind, '2026-03-01T02:00:00Z')
    try {
      await caseAcrossTheYearEnd(t)
      const head = await buildStaffActor(t.deps, { roles: ['office_head'] })
      await saveAppealsCounting(t.deps, head, 'conclusionYear')
      expect(await reconsiderationCells(t, 2026)).toEqual([1, 0, 0, 0, 1])
      expect(await reconsiderationCells(t, 2025)).toEqual([0, 0, 0, 1, 1])
      const audit = await searchAudit(t.deps, { action: 'reports.appeals_counting' }, 1)
      expect(audit.map((r) => JSON.parse(r.detail) as unknown)).toEqual([
        { before: 'filingYear', after: 'conclusionYear' },
      ])
    } finally {
      await t.close()
    }
  })

  test("only the supervising office's 公开办负责人 sets the region's counting; an unknown choice changes nothing", async () => {
    const t = await testEnv(kind, '2026-03-01T02:00:00Z')
    try {
      const head = await buildStaffActor(t.deps, { roles: ['office_head'] })
      const other = await buildAgency(t.deps)
      const elsewhere = await buildStaffActor(t.deps, { roles: ['office_head'], agencyId: other })
      await expect(saveAppealsCounting(t.deps, elsewhere, 'conclusionYear')).rejects.toThrow(/只有主管部门/)
      await expect(saveAppealsCounting(t.deps, head, 'byMood')).rejects.toThrow(/请选择第四部分的统计口径/)
      expect(await readAppealsCounting(t.deps.db)).toBe('filingYear')
    } finally {
      await t.close()
    }
  })
})

describe.each(databaseKinds)('the report settings page on %s', (kind) => {
  test("the supervising office's head chooses the section 四 counting; a missing choice is refused in Chinese; the region report page states it", async () => {
    const t = await testApp(kind)
    try {
      const head = await signIn(t.app, await buildStaff(t.deps, { roles: ['office_head'] }))
      const page = await t.app.inject({ url: '/console/report-settings', headers: { cookie: head.cookie } })
      expect(page.body).toContain('第四部分（行政复议、行政诉讼）统计口径')
      const save = (who: { cookie: string; csrf: string }, values: Record<string, string>) =>
        t.app.inject({
          method: 'POST',
          url: '/console/report-settings',
          headers: post(who.cookie),
          payload: form({ _csrf: who.csrf, ...values }),
        })
      const bad = await save(head, {})
      expect(bad.statusCode).toBe(422)
      expect(bad.body).toContain('请选择第四部分的统计口径')
      expect((await save(head, { appealsCountedBy: 'conclusionYear' })).statusCode).toBe(303)
      const after = await t.app.inject({ url: '/console/report-settings', headers: { cookie: head.cookie } })
      expect(after.body).toMatch(/value="conclusionYear"[^>]*checked|checked[^>]*value="conclusionYear"/)
      // Another agency's head sees the rule but cannot change it; the 监督人 only reads.
      const otherHead = await signIn(
        t.app,
        await buildStaff(t.deps, { roles: ['office_head'], agencyId: await buildAgency(t.deps) }),
      )
      const refused = await save(otherHead, { appealsCountedBy: 'filingYear' })
      expect(refused.statusCode).toBe(403)
      expect(refused.body).toContain('只有主管部门的公开办负责人可以设置')
      const supervisor = await signIn(t.app, await buildStaff(t.deps, { roles: ['supervisor'] }))
      expect((await save(supervisor, { appealsCountedBy: 'filingYear' })).statusCode).toBe(403)
      expect(await readAppealsCounting(t.deps.db)).toBe('conclusionYear')
      const region = await t.app.inject({ url: '/console/region/reports', headers: { cookie: supervisor.cookie } })
      expect(region.body).toContain('按审结年度统计')
    } finally {
      await t.close()
    }
  })
})
