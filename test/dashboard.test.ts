import { describe, expect, test } from 'vitest'
import { systemActor } from '../src/audit/audit.ts'
import { importItems } from '../src/disclosures/item-import.ts'
import { dashboard } from '../src/region/dashboard.ts'
import { applicationForm } from '../src/applications/application.ts'
import { decideApplication, recordDelivery } from '../src/applications/decision.service.ts'
import { submitApplication } from '../src/applications/intake.service.ts'
import { testApp } from './support/app.ts'
import { buildStaff, signIn } from './support/builders.ts'
import { databaseKinds } from './support/test-deps.ts'

// Dashboards: server-rendered SVG charts whose data tables hold the same figures as the records.

describe.each(databaseKinds)('dashboards on %s', (kind) => {
  test("charts count the month's outcomes, on-time replies and items per channel, each with its data table", async () => {
    const t = await testApp(kind)
    try {
      const handler = await buildStaff(t.deps, { roles: ['handler'] })
      const staff = { ...systemActor('承办人'), id: handler.id, agencyId: t.officeId, roles: ['handler'] }
      const input = (d: string) =>
        applicationForm.parse({
          applicantKind: 'person',
          category: 'natural',
          name: '李明华',
          idType: 'resident_id',
          idNumber: '11010519491231002X',
          phone: '13912345678',
          address: '垫江县',
          infoDescription: d,
          wantedForm: 'electronic',
          deliveryWay: 'online',
        })
      const a = await submitApplication(t.deps, systemActor('申请人'), t.officeId, input('道路养护合同'), {
        channel: 'in_person',
        receivedOn: '2026-01-05',
      })
      const b = await submitApplication(t.deps, systemActor('申请人'), t.officeId, input('学校维修预算'), {
        channel: 'in_person',
        receivedOn: '2026-01-06',
      })
      await decideApplication(t.deps, staff, a.id, { on: '2026-01-20', outcome: 'GRANTED', replyType: '2', basis: '' })
      await decideApplication(t.deps, staff, b.id, {
        on: '2026-02-10',
        outcome: 'DENY_PROCESS',
        replyType: '3',
        basis: '条例第十六条',
      })
      await recordDelivery(t.deps, staff, a.id, { on: '2026-01-21', method: 'post' })
      await importItems(
        t.deps,
        systemActor(),
        t.officeId,
        [1, 2, 3].map((n) => ({
          line: n + 1,
          value: { column: '部门动态', title: `工作动态第${n}期`, publishedAt: `2026-02-0${n}`, body: '内容。' },
        })),
      )
      const charts = await dashboard(t.deps, 2026, t.officeId)
      const series = (i: number, name: string) => charts[i]!.series.find((s) => s.name === name)!.values.slice(0, 2)
      expect(series(0, '予以公开')).toEqual([1, 0])
      expect(series(0, '不予公开')).toEqual([0, 1])
      // February delivered no reply: no rate, a gap in the line rather than 0 % (issue #12).
      expect(series(1, '按期答复率')).toEqual([100, null])
      expect(charts[0]!.series[0]!.values.at(-1)).toBeNull()
      expect(series(2, '门户网站')).toEqual([0, 3])
      for (const c of charts) expect(c.svg).toMatch(/^<svg[\s\S]*<\/svg>$/)
      const s = await signIn(t.app, await buildStaff(t.deps, { roles: ['office_head'] }))
      const page = await t.app.inject({ url: '/console/dashboard?year=2026', headers: { cookie: s.cookie } })
      expect(page.statusCode).toBe(200)
      expect(page.body).toContain('src="data:image/svg+xml;base64,')
      expect(page.body).toContain('<caption>2026年各月办结的申请（按办理结果）（单位：件）</caption>')
      const sup = await signIn(t.app, await buildStaff(t.deps, { roles: ['supervisor'] }))
      expect(
        (await t.app.inject({ url: '/console/region/dashboard', headers: { cookie: sup.cookie } })).statusCode,
      ).toBe(200)
    } finally {
      await t.close()
    }
  })
})
