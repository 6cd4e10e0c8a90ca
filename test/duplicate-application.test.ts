import { describe, expect, test } from 'vitest'
import { findOwnApplication } from '../src/applications/application.policy.ts'
import { buildApplication, buildStaffActor } from './support/build-application.ts'
import { buildStaff, signIn } from './support/builders.ts'
import { testApp } from './support/app.ts'
import { databaseKinds } from './support/test-deps.ts'

// Issue #12: the same applicant sending the same request twice on one day is flagged for the handler, who sees it on
// the application's page with a link to the first one.

describe.each(databaseKinds)('a same-day duplicate application on %s', (kind) => {
  test('the second identical application of the day is flagged and related to the first; another request is not', async () => {
    const t = await testApp(kind)
    try {
      const request = { infoDescription: '2025年桂溪街道老旧小区改造项目的资金使用明细' }
      const first = await buildApplication(t.deps, { applicant: request })
      const second = await buildApplication(t.deps, { applicant: request })
      const other = await buildApplication(t.deps, { applicant: { infoDescription: '县医院建设项目的环评报告' } })
      const head = await buildStaffActor(t.deps, { roles: ['office_head'] })
      const row = await findOwnApplication(t.deps, head, second.id)
      expect(JSON.parse(row.flags ?? '[]')).toContain('same_day_duplicate')
      expect(row.related_application_id).toBe(first.id)
      expect(JSON.parse((await findOwnApplication(t.deps, head, other.id)).flags ?? '[]')).not.toContain(
        'same_day_duplicate',
      )
      const session = await signIn(t.app, await buildStaff(t.deps, { roles: ['office_head'] }))
      const page = await t.app.inject({
        url: `/console/applications/${second.id}`,
        headers: { cookie: session.cookie },
      })
      expect(page.body).toContain('可能是重复提交：同一申请人当天已提交内容相同的申请')
    } finally {
      await t.close()
    }
  })
})
