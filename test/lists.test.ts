import { timelinessSlice } from '../src/disclosures/health.service.ts'
import { describe, expect, test } from 'vitest'
import { importActivities } from '../src/activities/activity.service.ts'
import { concludeAppeal, recordAppeal } from '../src/applications/appeal.service.ts'
import { submitItem } from '../src/disclosures/item-review.service.ts'
import { createItem } from '../src/disclosures/disclosure.service.ts'
import { listColumns } from '../src/disclosures/disclosure.store.ts'
import { buildAgency, buildApplication, buildStaffActor } from './support/build-application.ts'
import { buildStaff, signIn } from './support/builders.ts'
import { testApp } from './support/app.ts'
import type { TestApp } from './support/app.ts'
import { databaseKinds } from './support/test-deps.ts'

// The console's lists that grow: 50 a page with the total (共 N 条) and page links that keep the
// filters, a search box and filters that narrow the list, an empty result said in words, a bad
// filter named on the page; and never a row of another agency.

const rowsOf = (body: string, path: string) => body.match(new RegExp(`href="${path}/\\d+"`, 'g'))?.length ?? 0
const get = async (t: TestApp, cookie: string, url: string) => t.app.inject({ url, headers: { cookie } })
const names = ['王秀英', '李明华', '张建国']

describe.each(databaseKinds)('the console lists on %s', (kind) => {
  test('120 applications show as 共 120 条 on three pages; number, name, status and receipt dates narrow the list; another agency sees none of them', async () => {
    const t = await testApp(kind)
    try {
      const other = await buildAgency(t.deps)
      const built = []
      for (let i = 0; i < 120; i++) {
        // 60 received in January, 60 in February 2026 (the clock is at 2026-03-02).
        const receivedOn = i < 60 ? `2026-01-${String(5 + (i % 20)).padStart(2, '0')}` : `2026-02-0${2 + (i % 4)}`
        const applicant = {
          name: names[i % 3]!,
          idNumber: '11010519491231002X',
          infoDescription: `第 ${i} 份申请：2025 年道路养护资金使用情况`,
        }
        built.push(await buildApplication(t.deps, { receivedOn, applicant }))
      }
      const handler = await signIn(t.app, await buildStaff(t.deps, { roles: ['handler'] }))
      const head = await signIn(t.app, await buildStaff(t.deps, { roles: ['office_head'] }))
      const stranger = await signIn(
        t.app,
        await buildStaff(t.deps, { roles: ['handler', 'office_head'], agencyId: other }),
      )

      const first = await get(t, handler.cookie, '/console/applications?queue=all')
      expect(first.statusCode).toBe(200)
      expect(first.body).toContain('共 120 条，第 1 / 3 页')
      expect(rowsOf(first.body, '/console/applications')).toBe(50)
      expect(first.body).toContain('href="/console/applications?queue=all&amp;page=3"')
      const last = await get(t, handler.cookie, '/console/applications?queue=all&page=3')
      expect(last.body).toContain('共 120 条，第 3 / 3 页')
      expect(rowsOf(last.body, '/console/applications')).toBe(20)

      const byNumber = await get(t, handler.cookie, `/console/applications?queue=all&number=${built[77]!.number}`)
      expect(byNumber.body).toContain('共 1 条')
      expect(byNumber.body).toContain(`>${built[77]!.number}<`)

      const february = await get(t, handler.cookie, '/console/applications?queue=all&from=2026-02-01')
      expect(february.body).toContain('共 60 条，第 1 / 2 页')
      // The page links keep the filter.
      expect(february.body).toContain('href="/console/applications?queue=all&amp;from=2026-02-01&amp;page=2"')
      const january = await get(t, handler.cookie, '/console/applications?queue=all&from=2026-01-01&to=2026-01-31')
      expect(january.body).toContain('共 60 条')

      // Status: all are being handled; none concluded, and the empty list says so.
      expect((await get(t, handler.cookie, '/console/applications?queue=open')).body).toContain('共 120 条')
      const concluded = await get(t, handler.cookie, '/console/applications?queue=concluded&from=2026-02-01')
      expect(concluded.body).toContain('共 0 条')
      expect(concluded.body).toContain('没有符合筛选条件的记录')

      // Names: the office head sees them in full (maySeePersonalData) and finds them so; a handler
      // who is not the applications' handler sees and finds only the masked name (王*英).
      expect((await get(t, head.cookie, '/console/applications?queue=all&name=王秀英')).body).toContain('共 40 条')
      const unmasked = await get(t, handler.cookie, '/console/applications?queue=all&name=王秀英')
      expect(unmasked.body).toContain('共 0 条')
      expect(unmasked.body).not.toContain('王秀英</td>')
      expect((await get(t, handler.cookie, '/console/applications?queue=all&name=王*英')).body).toContain('共 40 条')
      // Each search by name is audited, without the name itself.
      const searches = await t.deps.db
        .selectFrom('audit_log')
        .select(['detail'])
        .where('action', '=', 'application.search_by_name')
        .execute()
      expect(searches).toHaveLength(3)
      expect(JSON.stringify(searches)).not.toContain('王')

      // A malformed date: the page with a Chinese message and the typed value kept, the list unfiltered.
      const bad = await get(t, handler.cookie, '/console/applications?queue=all&from=2026-13-45')
      expect(bad.statusCode).toBe(422)
      expect(bad.body).toContain('收到日期（起）“2026-13-45”不是有效日期')
      expect(bad.body).toContain('value="2026-13-45"')
      expect(bad.body).toContain('共 120 条')
      const reversed = await get(t, handler.cookie, '/console/applications?queue=all&from=2026-02-01&to=2026-01-01')
      expect(reversed.body).toContain('收到日期（起）不能晚于收到日期（止）')

      // Another agency (AC-03): none of these rows, whatever it searches for.
      for (const url of [
        '/console/applications?queue=all',
        '/console/applications?queue=all&name=王',
        `/console/applications?queue=all&number=${built[0]!.number}`,
      ]) {
        const page = await get(t, stranger.cookie, url)
        expect(page.body).toContain('共 0 条')
        expect(rowsOf(page.body, '/console/applications')).toBe(0)
      }

      // Applied long ago, every one is overdue by July (条例第三十三条, 20 working days): the computed queue pages too.
      t.clock.set('2026-07-01T02:00:00Z')
      const later = await signIn(t.app, await buildStaff(t.deps, { roles: ['handler'] }))
      const overdue = await get(t, later.cookie, '/console/applications?queue=overdue&page=2')
      expect(overdue.body).toContain('共 120 条，第 2 / 3 页')
      expect(rowsOf(overdue.body, '/console/applications')).toBe(50)
      const away = await signIn(t.app, await buildStaff(t.deps, { roles: ['handler'], agencyId: other }))
      expect((await get(t, away.cookie, '/console/applications?queue=overdue')).body).toContain('共 0 条')
    } finally {
      await t.close()
    }
  }, 120_000)

  test('120 items show as 共 120 条 on three pages; title, 索引号, column (with its sub-columns) and status narrow the list; another agency sees none of them', async () => {
    const t = await testApp(kind)
    try {
      const other = await buildAgency(t.deps)
      const drafter = await buildStaffActor(t.deps, { roles: ['drafter'] })
      const columns = await listColumns(t.deps.db, drafter.agencyId)
      const column = (name: string) => columns.find((c) => c.name === name)!.id
      const ids: number[] = []
      for (let i = 0; i < 120; i++) {
        // Every fourth item is a 通知公告, every fifth of the rest a 法规文件 (under 法定主动公开内容).
        const name = i % 4 === 0 ? '通知公告' : i % 5 === 0 ? '法规文件' : '部门动态'
        ids.push(
          await createItem(t.deps, drafter, {
            columnId: column(name),
            title: `关于第${i}号事项的通知`,
            formedOn: '2026-03-01',
            validity: 'valid',
            body: '<p>正文。</p>',
          }),
        )
      }
      for (const id of ids.slice(0, 3)) await submitItem(t.deps, drafter, id)
      const own = await signIn(t.app, await buildStaff(t.deps, { roles: ['drafter'] }))
      const stranger = await signIn(t.app, await buildStaff(t.deps, { roles: ['drafter'], agencyId: other }))

      const first = await get(t, own.cookie, '/console/items')
      expect(first.body).toContain('共 120 条，第 1 / 3 页')
      expect(rowsOf(first.body, '/console/items')).toBe(50)
      const last = await get(t, own.cookie, '/console/items?page=3')
      expect(rowsOf(last.body, '/console/items')).toBe(20)

      const byTitle = await get(t, own.cookie, `/console/items?q=${encodeURIComponent('第7号')}`)
      expect(byTitle.body).toContain('共 1 条')
      expect(byTitle.body).toContain('关于第7号事项的通知')
      const item = await t.deps.db
        .selectFrom('items')
        .select('index_number')
        .where('id', '=', ids[42]!)
        .executeTakeFirstOrThrow()
      const byIndex = await get(t, own.cookie, `/console/items?q=${encodeURIComponent(item.index_number!)}`)
      expect(byIndex.body).toContain('共 1 条')
      expect(byIndex.body).toContain('关于第42号事项的通知')
      // Typed in lower case, it is found all the same (on PostgreSQL too, whose like is case-sensitive).
      const lower = await get(t, own.cookie, `/console/items?q=${encodeURIComponent(item.index_number!.toLowerCase())}`)
      expect(lower.body).toContain('共 1 条')

      const notices = await get(t, own.cookie, `/console/items?column=${column('通知公告')}`)
      expect(notices.body).toContain('共 30 条')
      // 法定主动公开内容 holds its sub-columns' items: i not divisible by 4 but by 5 (0–119: 24 by 5, 6 of them by 4 too).
      const statutory = await get(t, own.cookie, `/console/items?column=${column('法定主动公开内容')}`)
      expect(statutory.body).toContain('共 18 条')
      const inReview = await get(t, own.cookie, `/console/items?status=in_review&column=${column('通知公告')}`)
      expect(inReview.body).toContain('共 1 条')
      const none = await get(t, own.cookie, `/console/items?q=${encodeURIComponent('不存在的名称')}`)
      expect(none.body).toContain('共 0 条')
      expect(none.body).toContain('没有符合筛选条件的记录')

      for (const url of ['/console/items', `/console/items?column=${column('通知公告')}`, '/console/items?q=第7号']) {
        const page = await get(t, stranger.cookie, encodeURI(url))
        expect(page.body).toContain('共 0 条')
        expect(rowsOf(page.body, '/console/items')).toBe(0)
      }

      // 条例第二十六条: unpublished three months after they were made, all 120 are late; every one is
      // checked (no cut at 500) and the late ones page too.
      t.clock.set('2026-06-01T02:00:00Z')
      const later = await signIn(t.app, await buildStaff(t.deps, { roles: ['drafter'] }))
      const late = await get(t, later.cookie, '/console/timeliness?page=3')
      expect(late.body).toContain('逾期的信息（共 120 条')
      expect(late.body).toContain('共 120 条，第 3 / 3 页')
      expect(rowsOf(late.body, '/console/items')).toBe(20)
      // Read in slices (an agency's every item at once held the server for seconds at scale): slices of 7 give the
      // same pages, in the same order.
      const whole = [await get(t, later.cookie, '/console/timeliness'), late]
      timelinessSlice.size = 7
      try {
        const sliced = [
          await get(t, later.cookie, '/console/timeliness'),
          await get(t, later.cookie, '/console/timeliness?page=3'),
        ]
        expect(sliced[0]!.body).toContain('已核查本机关全部 120 条信息')
        expect(sliced.map((r) => r.body)).toEqual(whole.map((r) => r.body))
      } finally {
        timelinessSlice.size = 1000
      }
    } finally {
      await t.close()
    }
  }, 120_000)

  test('120 decisions of article 20 (条例第二十条) show as 共 120 条 on three pages; year and words narrow them; a bad year is named; another agency sees none', async () => {
    const t = await testApp(kind)
    try {
      const other = await buildAgency(t.deps)
      const actor = await buildStaffActor(t.deps, { roles: ['drafter'] })
      // 80 decisions in 2025, 40 in 2026; every fourth one a 行政许可 of a 律师事务所.
      const rows = Array.from({ length: 120 }, (_, i) => ({
        line: i + 2,
        cells: {
          类别: i % 4 === 0 ? '行政许可' : '行政处罚',
          决定日期: i < 80 ? `2025-0${1 + (i % 9)}-10` : '2026-02-10',
          事项: i % 4 === 0 ? `律师事务所设立许可第${i}号` : `对某公司的处罚第${i}号`,
          件数: '1',
        },
      }))
      await importActivities(t.deps, actor, 'decisions', rows)
      const own = await signIn(t.app, await buildStaff(t.deps, { roles: ['drafter'] }))
      const stranger = await signIn(t.app, await buildStaff(t.deps, { roles: ['drafter'], agencyId: other }))

      const first = await get(t, own.cookie, '/console/activities')
      expect(first.body).toContain('处理决定（共 120 条，最新在前）')
      expect(first.body).toContain('共 120 条，第 1 / 3 页')
      expect(first.body).toContain('href="/console/activities?decisions=3#h-decisions"')
      const third = await get(t, own.cookie, '/console/activities?decisions=3')
      expect(third.body).toContain('共 120 条，第 3 / 3 页')
      expect(third.body.match(/对某公司的处罚第\d+号|律师事务所设立许可第\d+号/g)).toHaveLength(20)

      expect((await get(t, own.cookie, '/console/activities?year=2026')).body).toContain('处理决定（共 40 条，已筛选')
      const lawFirms = await get(t, own.cookie, `/console/activities?year=2025&q=${encodeURIComponent('律师事务所')}`)
      expect(lawFirms.body).toContain('处理决定（共 20 条，已筛选')
      const bad = await get(t, own.cookie, '/console/activities?year=20x5')
      expect(bad.statusCode).toBe(422)
      expect(bad.body).toContain('年份“20x5”无效')
      expect(bad.body).toContain('处理决定（共 120 条')

      const away = await get(t, stranger.cookie, '/console/activities')
      expect(away.body).toContain('处理决定（共 0 条')
      expect(away.body).not.toContain('对某公司的处罚')
    } finally {
      await t.close()
    }
  }, 120_000)

  test('120 reconsideration and litigation cases (条例第五十一条) show as 共 120 条 on three pages; kind, state and year narrow them; another agency sees none', async () => {
    const t = await testApp(kind)
    try {
      const other = await buildAgency(t.deps)
      const actor = await buildStaffActor(t.deps, { roles: ['handler'] })
      // 80 复议 filed in 2025, 40 诉讼 filed in 2026; the first 10 复议 concluded.
      for (let i = 0; i < 120; i++) {
        const id = await recordAppeal(t.deps, actor, {
          kind: i < 80 ? 'reconsideration' : 'litigationDirect',
          filedOn: i < 80 ? '2025-06-01' : '2026-01-15',
        })
        if (i < 10) await concludeAppeal(t.deps, actor, id, { rawResult: '维持', concludedOn: '2025-09-01' })
      }
      const own = await signIn(t.app, await buildStaff(t.deps, { roles: ['handler'] }))
      const stranger = await signIn(t.app, await buildStaff(t.deps, { roles: ['handler'], agencyId: other }))

      const first = await get(t, own.cookie, '/console/appeals')
      expect(first.body).toContain('共 120 条，第 1 / 3 页')
      expect(first.body.match(/<tr><td>行政/g)).toHaveLength(50)
      expect((await get(t, own.cookie, '/console/appeals?page=3')).body.match(/<tr><td>行政/g)).toHaveLength(20)
      expect((await get(t, own.cookie, '/console/appeals?kind=litigationDirect')).body).toContain('共 40 条')
      expect((await get(t, own.cookie, '/console/appeals?state=concluded')).body).toContain('共 10 条')
      const open2025 = await get(t, own.cookie, '/console/appeals?state=open&year=2025')
      expect(open2025.body).toContain('共 70 条，第 1 / 2 页')
      expect(open2025.body).toContain('href="/console/appeals?state=open&amp;year=2025&amp;page=2"')
      const bad = await get(t, own.cookie, '/console/appeals?year=abc')
      expect(bad.statusCode).toBe(422)
      expect(bad.body).toContain('立案年份“abc”无效')

      const away = await get(t, stranger.cookie, '/console/appeals')
      expect(away.body).toContain('共 0 条')
      expect(away.body).toContain('暂无记录')
    } finally {
      await t.close()
    }
  }, 120_000)

  test("the accounts list and the security administrator's roles page show 120 staff 50 a page with their total; words and the agency narrow them", async () => {
    const t = await testApp(kind)
    try {
      const other = await buildAgency(t.deps)
      // With the region's first administrator and the two below, 120 accounts in all.
      for (let i = 0; i < 98; i++) await buildStaff(t.deps, { roles: ['drafter'] })
      for (let i = 0; i < 19; i++) await buildStaff(t.deps, { roles: ['drafter'], agencyId: other })
      const sysadmin = await buildStaff(t.deps, { roles: ['sysadmin'] })
      const admin = await signIn(t.app, sysadmin)
      const security = await signIn(t.app, await buildStaff(t.deps, { roles: ['secadmin'] }))
      const all = await t.deps.db.selectFrom('users').select(['id', 'username']).execute()
      expect(all).toHaveLength(120)

      const first = await get(t, admin.cookie, '/console/accounts')
      expect(first.body).toContain('全部账号（共 120 个）')
      expect(first.body).toContain('共 120 条，第 1 / 3 页')
      expect(first.body.match(/action="\/console\/accounts\/\d+\/reset-password"/g)).toHaveLength(50)
      const third = await get(t, admin.cookie, '/console/accounts?page=3')
      expect(third.body.match(/action="\/console\/accounts\/\d+\/reset-password"/g)).toHaveLength(20)
      expect((await get(t, admin.cookie, `/console/accounts?agency=${other}`)).body).toContain('（共 19 个）')
      const one = await get(t, admin.cookie, `/console/accounts?q=${encodeURIComponent(sysadmin.username)}`)
      expect(one.body).toContain('（共 1 个）')
      const none = await get(t, admin.cookie, `/console/accounts?q=${encodeURIComponent('没有这个人')}`)
      expect(none.body).toContain('没有符合筛选条件的记录')

      // The security administrator's page of roles: the same accounts, 50 a page, found by name or agency.
      const roles = await get(t, security.cookie, '/console/security/accounts?page=3')
      expect(roles.body).toContain('全部账号共 120 个')
      expect(roles.body).toContain('共 120 条，第 3 / 3 页')
      expect(roles.body.match(/class="account-card"/g)).toHaveLength(20)
      const found = await get(
        t,
        security.cookie,
        `/console/security/accounts?q=${encodeURIComponent(sysadmin.username)}`,
      )
      expect(found.body).toContain('符合条件的账号共 1 个')
    } finally {
      await t.close()
    }
  }, 120_000)
})
