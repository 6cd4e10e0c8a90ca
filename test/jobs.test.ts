import ExcelJS from 'exceljs'
import { describe, expect, test } from 'vitest'
import { syntheticCreditCode } from '../src/demo/busy-year.ts'
import { createAgency } from '../src/agencies/agency.service.ts'
import { systemActor } from '../src/audit/audit.ts'
import { markInterruptedJobs, startJob } from '../src/jobs/jobs.ts'
import { testApp } from './support/app.ts'
import { buildActor } from './support/build-item.ts'
import { buildStaff, signIn } from './support/builders.ts'
import { multipart } from './support/multipart.ts'
import { databaseKinds } from './support/test-deps.ts'

// Long-running work: a large old-site import runs as a job; its page shows the progress and the
// result, can be left and returned to, belongs to the agency, and a restart marks it cut off.

describe.each(databaseKinds)('jobs on %s', (kind) => {
  test('a 250-row import runs as a job whose page ends with the result; another agency cannot see it; a restart marks running jobs interrupted', async () => {
    const t = await testApp(kind)
    try {
      const s = await signIn(t.app, await buildStaff(t.deps, { roles: ['office_head'] }))
      const csv = [
        'column,title,publishedAt,body',
        ...Array.from(
          { length: 250 },
          (_, n) => `部门动态,旧网站动态第${n + 1}期,2025-0${1 + (n % 9)}-10,旧网站的动态信息正文。`,
        ),
      ].join('\n')
      const m = multipart({ _csrf: s.csrf }, { name: '旧网站.csv', content: Buffer.from(csv) })
      const started = await t.app.inject({
        method: 'POST',
        url: '/console/items/import',
        headers: { cookie: s.cookie, 'content-type': m.contentType },
        payload: m.payload,
      })
      expect(started.statusCode).toBe(303)
      const url = started.headers.location!
      expect(url).toMatch(/^\/console\/jobs\/\d+$/)
      let page = ''
      for (let i = 0; i < 150 && !page.includes('已完成'); i++) {
        page = (await t.app.inject({ url, headers: { cookie: s.cookie } })).body
        if (!page.includes('已完成')) await new Promise((r) => setTimeout(r, 200))
      }
      expect(page).toContain('<p id="job-status">已完成</p>')
      expect(page).toContain('已导入 250 条，其中 250 条已按原发布日期公开。')
      expect(page).not.toContain('http-equiv="refresh"')
      expect(await t.deps.db.selectFrom('items').select('id').where('source', '=', 'imported').execute()).toHaveLength(
        250,
      )
      expect((await t.app.inject({ url: '/console/jobs', headers: { cookie: s.cookie } })).body).toContain(
        '导入旧信息（旧网站.csv，250 行）',
      )

      const other = await createAgency(t.deps, systemActor(), {
        name: '垫江县司法局',
        creditCode: '11500231MB1530120U',
        level: '县级',
        kind: '政府部门',
        parentId: t.officeId,
      })
      const stranger = await signIn(t.app, await buildStaff(t.deps, { roles: ['office_head'], agencyId: other }))
      expect((await t.app.inject({ url, headers: { cookie: stranger.cookie } })).statusCode).toBe(404)

      // A large activities file runs as a job too.
      const decisions = [
        '类别,决定日期,事项,件数',
        ...Array.from(
          { length: 240 },
          (_, n) => `行政处罚,2025-03-${String(1 + (n % 28)).padStart(2, '0')},处罚决定${n + 1},1`,
        ),
      ].join('\n')
      const m2 = multipart({ _csrf: s.csrf }, { name: '决定.csv', content: Buffer.from(decisions) })
      const job2 = await t.app.inject({
        method: 'POST',
        url: '/console/activities/decisions/import',
        headers: { cookie: s.cookie, 'content-type': m2.contentType },
        payload: m2.payload,
      })
      expect(job2.headers.location).toMatch(/^\/console\/jobs\/\d+$/)
      let page2 = ''
      for (let i = 0; i < 150 && !page2.includes('已完成'); i++) {
        page2 = (await t.app.inject({ url: job2.headers.location!, headers: { cookie: s.cookie } })).body
        if (!page2.includes('已完成')) await new Promise((r) => setTimeout(r, 200))
      }
      expect(page2).toContain('已导入 240 条记录。')

      await t.deps.db
        .insertInto('jobs')
        .values({
          agency_id: t.officeId,
          kind: 'items.import',
          label: '未完成的导入',
          status: 'running',
          done: 10,
          total: 500,
          message: null,
          created_by: null,
          created_at: 'x',
          updated_at: 'x',
        })
        .execute()
      await markInterruptedJobs(t.deps)
      expect((await t.app.inject({ url: '/console/jobs', headers: { cookie: s.cookie } })).body).toContain('已中断')
    } finally {
      await t.close()
    }
  }, 60_000)
  test('a starting process marks as interrupted only the jobs whose lease ran out, not one another process is running', async () => {
    const t = await testApp(kind)
    try {
      const now = t.clock.now().getTime()
      const job = (label: string, leaseUntil: string | null) =>
        t.deps.db
          .insertInto('jobs')
          .values({
            agency_id: t.officeId,
            kind: 'items.import',
            label,
            status: 'running',
            done: 10,
            total: 500,
            message: null,
            created_by: null,
            created_at: 'x',
            updated_at: 'x',
            lease_until: leaseUntil,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      const alive = await job('另一进程正在运行的导入', new Date(now + 20_000).toISOString())
      const lapsed = await job('进程已结束的导入', new Date(now - 1_000).toISOString())
      expect(await markInterruptedJobs(t.deps)).toBe(1)
      const status = async (id: number) =>
        (await t.deps.db.selectFrom('jobs').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status
      expect(await status(alive.id)).toBe('running')
      expect(await status(lapsed.id)).toBe('interrupted')
    } finally {
      await t.close()
    }
  })
  test('a job this process is running is never marked interrupted, even with its lease lapsed', async () => {
    const t = await testApp(kind)
    try {
      const actor = await buildActor(t.deps, ['office_head'])
      let finish = (_: string) => {}
      const held = new Promise<string>((r) => (finish = r))
      const id = await startJob(t.deps, actor, 'items.import', '本进程的导入', 300, () => held)
      // Its lease lapsed (say its heartbeat was held back): it is still this process's job.
      await t.deps.db
        .updateTable('jobs')
        .set({ lease_until: '2000-01-01T00:00:00.000Z' })
        .where('id', '=', id)
        .execute()
      expect(await markInterruptedJobs(t.deps)).toBe(0)
      finish('已导入 300 条记录。')
      const done = async () =>
        (await t.deps.db.selectFrom('jobs').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status
      for (let i = 0; i < 50 && (await done()) !== 'done'; i++) await new Promise((r) => setTimeout(r, 20))
      expect(await done()).toBe('done')
    } finally {
      await t.close()
    }
  })
  test("a large region's overview export runs as a job whose page offers the file", async () => {
    const t = await testApp(kind)
    try {
      for (let n = 1; n <= 21; n++)
        await createAgency(t.deps, systemActor(), {
          name: `测试机关${n}`,
          creditCode: syntheticCreditCode(n, '11500231MB'),
          level: '县级',
          kind: '政府部门',
          parentId: t.officeId,
        })
      const s = await signIn(t.app, await buildStaff(t.deps, { roles: ['supervisor'] }))
      const started = await t.app.inject({ url: '/console/region/export.xlsx', headers: { cookie: s.cookie } })
      expect(started.statusCode).toBe(303)
      let page = ''
      for (let i = 0; i < 150 && !page.includes('已完成'); i++) {
        page = (await t.app.inject({ url: started.headers.location!, headers: { cookie: s.cookie } })).body
        if (!page.includes('已完成')) await new Promise((r) => setTimeout(r, 200))
      }
      expect(page).toContain('已导出 22 个机关。')
      const file = await t.app.inject({ url: `${started.headers.location!}/file`, headers: { cookie: s.cookie } })
      const wb = new ExcelJS.Workbook()
      await wb.xlsx.load(file.rawPayload as unknown as ArrayBuffer)
      expect(wb.worksheets[0]!.rowCount).toBe(23)
    } finally {
      await t.close()
    }
  }, 60_000)
})
