import { describe, expect, test } from 'vitest'
import { addWorkingDays, isWorkday } from '../src/deadlines/calendar.ts'
import { loadCalendar } from '../src/deadlines/calendar.store.ts'
import { listColumns } from '../src/disclosures/disclosure.store.ts'
import { publicationTimeliness } from '../src/disclosures/timeliness.ts'
import { buildStaff, form, signIn } from './support/builders.ts'
import { testApp } from './support/app.ts'
import { databaseKinds } from './support/test-deps.ts'

const post = (cookie: string) => ({ cookie, 'content-type': 'application/x-www-form-urlencoded' })

describe.each(databaseKinds)('the holiday calendar on %s', (kind) => {
  test('the seeded 2025 and 2026 days agree with the State Council notices', async () => {
    const t = await testApp(kind)
    try {
      const cal = await loadCalendar(t.deps.db)
      // 2026 (通知 of 2025-11-04): Spring Festival 2/15–2/23 off, 2/14 and 2/28 worked; National Day 10/1–10/7, 9/20 and 10/10 worked.
      expect(
        ['2026-02-14', '2026-02-28', '2026-09-20', '2026-10-10', '2026-01-04', '2026-05-09'].map((d) =>
          isWorkday(cal, d),
        ),
      ).toEqual([true, true, true, true, true, true])
      expect(
        ['2026-02-16', '2026-02-23', '2026-10-05', '2026-10-07', '2026-06-19', '2026-01-02'].map((d) =>
          isWorkday(cal, d),
        ),
      ).toEqual([false, false, false, false, false, false])
      // 2025: Spring Festival 1/28–2/4 off, 1/26 (Sun) and 2/8 (Sat) worked; 国庆·中秋 10/1–10/8, 9/28 and 10/11 worked.
      expect(['2025-01-26', '2025-02-08', '2025-09-28', '2025-10-11'].map((d) => isWorkday(cal, d))).toEqual([
        true,
        true,
        true,
        true,
      ])
      expect(['2025-01-28', '2025-02-04', '2025-10-08', '2025-05-05'].map((d) => isWorkday(cal, d))).toEqual([
        false,
        false,
        false,
        false,
      ])
      expect(addWorkingDays(cal, '2026-09-30', 3)).toBe('2026-10-10')
    } finally {
      await t.close()
    }
  })

  test("the 系统管理员 records next year's notice; a weekday given as a make-up day is refused", async () => {
    const t = await testApp(kind)
    try {
      const s = await signIn(t.app, await buildStaff(t.deps, { roles: ['sysadmin'] }))
      const page = await t.app.inject({ url: '/console/calendar', headers: { cookie: s.cookie } })
      expect(page.body).toContain('尚未录入 2027 年节假日安排')
      const values = {
        year: '2027',
        source: '国务院办公厅关于2027年部分节假日安排的通知（测试）',
        holidays: '2027-01-01\n2027-02-05 2027-02-08',
        makeupWorkdays: '2027-02-03',
      }
      const bad = await t.app.inject({
        method: 'POST',
        url: '/console/calendar',
        headers: post(s.cookie),
        payload: form({ _csrf: s.csrf, ...values }),
      })
      expect(bad.statusCode).toBe(422)
      expect(bad.body).toContain('调休上班日应为周六或周日')
      const ok = await t.app.inject({
        method: 'POST',
        url: '/console/calendar',
        headers: post(s.cookie),
        payload: form({ _csrf: s.csrf, ...values, makeupWorkdays: '2027-02-06' }),
      })
      expect(ok.statusCode).toBe(303)
      const cal = await loadCalendar(t.deps.db)
      expect([isWorkday(cal, '2027-02-06'), isWorkday(cal, '2027-02-05'), isWorkday(cal, '2027-02-04')]).toEqual([
        true,
        false,
        true,
      ])
    } finally {
      await t.close()
    }
  })

  test('an item published more than 20 working days after it was made is listed as late; one published before any possible end of a period reaching an unrecorded year is on time (条例 art. 26)', async () => {
    const t = await testApp(kind)
    try {
      const cal = await loadCalendar(t.deps.db)
      // From 2026-02-02: 2/3–2/6 (4), 2/9–2/13 (9), 2/14 make-up (10), 2/24–2/27 (14), 2/28 make-up (15), 3/2–3/6 (20).
      expect(publicationTimeliness(cal, '2026-02-02', '2026-03-06T08:00:00.000Z', new Date())).toEqual({
        due: '2026-03-06',
        late: false,
      })
      expect(publicationTimeliness(cal, '2026-02-02', '2026-03-09T01:00:00.000Z', new Date())).toEqual({
        due: '2026-03-06',
        late: true,
      })
      // The period from 2026-12-20 runs into 2027, whose notice is not recorded. Published no later than the
      // earliest day it can end, the item is on time whatever the notice says: 12-21…12-31 give 9 working days;
      // then every 2027 day but 元旦 (fixed by date, 《全国年节及纪念日放假办法》 art. 2) may be a working day,
      // so the earliest end is 1-12. Later than that, it cannot be judged until the notice is recorded.
      expect(publicationTimeliness(cal, '2026-12-20', '2027-01-12T01:00:00.000Z', new Date())).toEqual({
        due: '2027-01-12',
        late: false,
        notBefore: true,
        unrecorded: [2027],
      })
      expect(publicationTimeliness(cal, '2026-12-20', null, new Date('2026-12-21T00:00:00Z'))).toMatchObject({
        due: '2027-01-12',
        late: false,
      })
      expect(publicationTimeliness(cal, '2026-12-20', '2027-01-13T01:00:00.000Z', new Date())).toMatchObject({
        due: null,
        unverified: expect.stringContaining('缺少 2027 年节假日安排') as unknown,
      })
      const column = (await listColumns(t.deps.db, t.officeId)).find((c) => c.name === '部门动态')!.id
      await t.deps.db
        .insertInto('items')
        .values({
          agency_id: t.officeId,
          column_id: column,
          index_number: 'X/2026-00009',
          title: '迟发的信息',
          formed_on: '2026-02-02',
          body: '正文',
          validity: 'valid',
          status: 'published',
          created_at: 'x',
          updated_at: 'x',
          published_at: '2026-03-09T01:00:00.000Z',
          unit_id: null,
          primary_channel_id: null,
          doc_number: null,
          written_on: null,
          topic: null,
          genre: null,
          keywords: null,
          summary: null,
          doc_kind: null,
          effective_on: null,
          repealed_on: null,
          lapsed_on: null,
          findings: null,
          cleared_findings: null,
          withdrawn_reason: null,
          created_by: null,
          published_by: null,
        })
        .execute()
      const s = await signIn(t.app, await buildStaff(t.deps, { roles: ['office_head'] }))
      const page = await t.app.inject({ url: '/console/timeliness', headers: { cookie: s.cookie } })
      expect(page.body).toContain('迟发的信息')
      expect(page.body).toContain('2026-03-06')
    } finally {
      await t.close()
    }
  })
})
