import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { listReportsOfAgency } from '../src/reports/report.store.ts'
import { buildStaff, signIn } from './support/builders.ts'
import { testApp } from './support/app.ts'
import { multipart } from './support/multipart.ts'
import { databaseKinds } from './support/test-deps.ts'

const dianjiang = readFileSync(path.resolve('test/fixtures/reports/dianjiang-justice-2020.txt'))

describe.each(databaseKinds)('report pages on %s', (kind) => {
  test("a drafter uploads last year's published report; a file whose content does not match its name is refused", async () => {
    const t = await testApp(kind)
    try {
      const s = await signIn(t.app, await buildStaff(t.deps, { roles: ['drafter'] }))
      const upload = async (fields: Record<string, string>, file?: { name: string; content: Buffer }) => {
        const body = multipart(fields, file)
        return t.app.inject({
          method: 'POST',
          url: '/console/reports/upload',
          headers: { cookie: s.cookie, 'content-type': body.contentType },
          payload: body.payload,
        })
      }
      const ok = await upload({ _csrf: s.csrf }, { name: '2020年报.txt', content: dianjiang })
      expect(ok.statusCode, ok.body.slice(0, 300)).toBe(303)
      const stored = await listReportsOfAgency(t.deps.db, t.officeId)
      expect(stored.map((r) => [r.year, r.status, r.source_name])).toEqual([[2020, 'imported', '2020年报.txt']])
      const page = await t.app.inject({ url: String(ok.headers.location), headers: { cookie: s.cookie } })
      expect(page.body).toContain('导入的往年报告')
      // Rules are named by what they check, never by their code (issue #12: X1 → 与上年度报告衔接).
      expect(page.body).toContain('与上年度报告衔接（未提供上一年度报告）')
      expect(page.body).not.toMatch(/未检查：[^<]*X1/)
      const disguised = await upload({ _csrf: s.csrf }, { name: '年报.pdf', content: dianjiang })
      expect(disguised.statusCode).toBe(422)
      expect(disguised.body).toContain('文件内容须与扩展名一致')
      expect(await listReportsOfAgency(t.deps.db, t.officeId)).toHaveLength(1)
      const noToken = await upload({}, { name: '2020年报.txt', content: dianjiang })
      expect(noToken.statusCode).toBe(403)
    } finally {
      await t.close()
    }
  })

  test("a reviewer can read the agency's reports but cannot compute or publish them", async () => {
    const t = await testApp(kind)
    try {
      const s = await signIn(t.app, await buildStaff(t.deps, { roles: ['reviewer'], reviewLevel: 1 }))
      expect((await t.app.inject({ url: '/console/reports', headers: { cookie: s.cookie } })).statusCode).toBe(200)
      const compute = await t.app.inject({
        method: 'POST',
        url: '/console/reports',
        headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: `_csrf=${encodeURIComponent(s.csrf)}&year=2024`,
      })
      expect(compute.statusCode).toBe(403)
    } finally {
      await t.close()
    }
  })
})
