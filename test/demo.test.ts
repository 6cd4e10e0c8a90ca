import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { countPublications } from '../src/disclosures/counts.ts'
import { createDemo, demoPassword, justiceBureau, busyAgency } from '../src/demo/demo.ts'
import { tallyIntended } from '../src/demo/busy-year.ts'
import { computeReport } from '../src/reports/report-compute.ts'
import { recordsOf } from '../src/reports/report.service.ts'
import { buildApp } from '../src/web/app.ts'
import { form, signIn } from './support/builders.ts'
import { gongkai } from './support/cli.ts'
import { databaseKinds, testEnv } from './support/test-deps.ts'

// The demo reproduces the example report: 垫江县司法局's 2020 report computed from the demo's
// records equals the expected file in every key, and the narrative editor offers the 总体情况 figures
// per channel (92, 195, 6, 3; 296 in all). The busy agency's report equals the generator's tally.

const expected = JSON.parse(
  readFileSync(path.join(import.meta.dirname, 'fixtures', 'reports', 'dianjiang-justice-2020.expected.json'), 'utf8'),
) as Record<string, unknown>

describe.each(databaseKinds)('the demo on %s', (kind) => {
  test('垫江县司法局 2020 equals the published report; the busy agency equals its own tally; the narrative offers 92, 195, 6, 3 and 296', async () => {
    const t = await testEnv(kind)
    const demo = await createDemo(t.deps, { busyCount: 150 })
    // The app is built after the demo, as `gongkai demo --serve` does: it reads the set-up state at start.
    const app = await buildApp(t.deps, { logger: false })
    try {
      const agencies = await t.deps.db.selectFrom('agencies').select(['id', 'name']).execute()
      const justice = agencies.find((a) => a.name === justiceBureau)!.id
      const { report } = computeReport(await recordsOf(t.deps, justice, 2020), { year: 2020, format: '2019' })
      for (const key of Object.keys(expected).filter((k) => k !== 'schema'))
        expect((report as unknown as Record<string, unknown>)[key], key).toEqual(expected[key])

      const counts = await countPublications(t.deps.db, justice, '2020-01-01', '2020-12-31')
      expect(counts.total).toBe(296)
      expect(counts.byChannelKind.map((k) => [k.kind, k.items])).toEqual([
        ['wechat', 195],
        ['portal', 92],
        ['credit', 6],
        ['other', 3],
      ])

      const busy = agencies.find((a) => a.name === busyAgency)!.id
      const busyReport = computeReport(await recordsOf(t.deps, busy, demo.busyYear), {
        year: demo.busyYear,
        format: '2021',
      }).report
      const tally = tallyIntended(demo.busyIntended, demo.busyYear)
      for (const [code, cells] of Object.entries(busyReport.applications.rows))
        expect(cells, code).toEqual(tally[code] ?? [0, 0, 0, 0, 0, 0, 0])

      // Demo staff are named as people are, never by a role code (issue #12).
      const names = await t.deps.db.selectFrom('users').select('display_name').execute()
      for (const { display_name } of names) expect(display_name).not.toMatch(/[A-Za-z]/)

      // The drafter computes the 2020 draft; the narrative editor offers the figures per channel.
      const drafter = await t.deps.db
        .selectFrom('users')
        .select('id')
        .where('username', '=', 'sfj.drafter')
        .executeTakeFirstOrThrow()
      const s = await signIn(app, { id: drafter.id, username: 'sfj.drafter', password: demoPassword })
      const made = await app.inject({
        method: 'POST',
        url: '/console/reports',
        headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: form({ _csrf: s.csrf, year: '2020' }),
      })
      expect(made.statusCode).toBe(303)
      const page = await app.inject({ url: made.headers.location!, headers: { cookie: s.cookie } })
      for (const words of [
        '本年主动公开政府信息 296 条',
        '门户网站 92 条',
        '微信公众号 195 条',
        '信用中国（重庆垫江） 6 条',
        '重庆市政府采购网 3 条',
      ])
        expect(page.body).toContain(words)
      expect(demo.accounts.map((a) => a.role)).toEqual(
        expect.arrayContaining([
          '起草人',
          '审核人（3级）',
          '发布人',
          '依申请公开办理人',
          '公开办负责人',
          '监督人',
          '系统管理员',
          '安全管理员',
          '审计管理员',
        ]),
      )
    } finally {
      await app.close()
      await t.close()
    }
  }, 300_000)
})

test('gongkai demo refuses a data folder that holds a database, and report compute prints the computed JSON', async () => {
  const { mkdtempSync, rmSync } = await import('node:fs')
  const { tmpdir } = await import('node:os')
  const dir = mkdtempSync(path.join(tmpdir(), 'gongkai-demo-'))
  try {
    const made = await gongkai(['demo'], { DATA_DIR: dir, LOG_LEVEL: 'silent' })
    expect(made.code, made.stderr).toBe(0)
    expect(made.stdout).toContain('sfj.drafter')
    expect(made.stdout).toMatch(/sfj\.drafter\s+起草人/)
    expect(existsSync(path.join(dir, 'gongkai.db'))).toBe(true)
    const again = await gongkai(['demo'], { DATA_DIR: dir, LOG_LEVEL: 'silent' })
    expect(again.code).toBe(2)
    expect(again.stderr).toContain('--force')
    const computed = await gongkai(['report', 'compute', '--agency', justiceBureau, '--year', '2020'], {
      DATA_DIR: dir,
      LOG_LEVEL: 'silent',
    })
    expect(computed.code, computed.stderr).toBe(0)
    const json = JSON.parse(computed.stdout) as Record<string, unknown>
    for (const key of ['format', 'year', 'article20', 'applications', 'appeals'])
      expect(json[key], key).toEqual(expected[key])
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}, 300_000)
