import { describe, expect, test } from 'vitest'
import { addActivity } from '../src/activities/activity.service.ts'
import { computeDraft } from '../src/reports/report.service.ts'
import { buildStaffActor } from './support/build-application.ts'
import { buildStaff, signIn } from './support/builders.ts'
import { testApp } from './support/app.ts'
import { databaseKinds } from './support/test-deps.ts'

// Issue #12: "why is this cell N?" lists the records behind the cell in words, and warns that records changed only
// when the cell computed afresh really differs — never because a sum of money is compared with a count of records.

describe.each(databaseKinds)('the report cell drill-down on %s', (kind) => {
  test('a fee cell in 万元 lists its collections in words and warns only after a new collection is recorded', async () => {
    const t = await testApp(kind)
    try {
      const actor = await buildStaffActor(t.deps, { roles: ['drafter'] })
      const fee = { 收费日期: '2026-02-10', 收费项目: '不动产登记费', '金额（元）': '12500' }
      await addActivity(t.deps, actor, 'fees', fee)
      await addActivity(t.deps, actor, 'fees', { ...fee, 收费日期: '2026-02-20', '金额（元）': '2500' })
      const id = await computeDraft(t.deps, actor, 2026)
      const session = await signIn(t.app, await buildStaff(t.deps, { roles: ['drafter'] }))
      const open = () =>
        t.app.inject({
          url: `/console/reports/${id}/cell?ref=${encodeURIComponent('article20.fees.amountWan')}`,
          headers: { cookie: session.cookie },
        })
      const page = await open()
      expect(page.statusCode).toBe(200)
      // Two collections, 1.5 万元 in all: the same whether counted now or when the report was made.
      expect(page.body).toContain('收费：不动产登记费（2026-02-10，12500.00 元）')
      expect(page.body).toContain('<a href="/console/activities">')
      expect(page.body).not.toContain('报告生成后记录有变化')
      expect(page.body).not.toMatch(/fee-\d/)
      await addActivity(t.deps, actor, 'fees', { ...fee, 收费日期: '2026-02-25', '金额（元）': '5000' })
      expect((await open()).body).toContain('报告生成后记录有变化')
    } finally {
      await t.close()
    }
  })
})
