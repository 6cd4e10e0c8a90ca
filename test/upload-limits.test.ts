import { describe, expect, test } from 'vitest'
import { buildApplication } from './support/build-application.ts'
import { buildItem } from './support/build-item.ts'
import { anonymousSession, buildStaff, signIn } from './support/builders.ts'
import { testApp } from './support/app.ts'
import type { TestApp } from './support/app.ts'
import { multipart } from './support/multipart.ts'
import { databaseKinds } from './support/test-deps.ts'

// Issue #12: a file over the real limit (10 MB, FILE-01) is answered on the page it came from with "文件超过 10 MB"
// and the rest of the input kept — for applicants' files, staff attachments and imports — never a bare error page.

const overLimit = Buffer.alloc(10 * 1024 * 1024 + 1, 0x41)

async function send(t: TestApp, url: string, cookie: string, fields: Record<string, string>, name: string) {
  const body = multipart(fields, { name, content: overLimit })
  return t.app.inject({
    method: 'POST',
    url,
    headers: { cookie, 'content-type': body.contentType },
    payload: body.payload,
  })
}

describe.each(databaseKinds)('uploads over the limit on %s', (kind) => {
  test('an applicant, a drafter and a report importer each read "文件超过 10 MB" on their own page, and nothing is stored', async () => {
    const t = await testApp(kind)
    try {
      const { number, queryCode } = await buildApplication(t.deps)
      const anon = await anonymousSession(t.app)
      const track = await send(t, '/track/files', anon.cookie, { _csrf: anon.csrf, number, queryCode }, '身份证.pdf')
      expect(track.statusCode).toBe(422)
      expect(track.body).toContain('文件超过 10 MB')
      expect(track.body).toContain(`value="${number}"`)

      const item = await buildItem(t.deps, { until: 'draft' })
      const drafter = await signIn(t.app, await buildStaff(t.deps, { roles: ['drafter'] }))
      const attach = await send(
        t,
        `/console/items/${item.id}/attachments`,
        drafter.cookie,
        { _csrf: drafter.csrf },
        '方案.pdf',
      )
      expect(attach.statusCode).toBe(422)
      expect(attach.body).toContain('附件超过 10 MB')
      expect(attach.body).toContain('关于开展政务公开培训的通知')

      const report = await send(t, '/console/reports/upload', drafter.cookie, { _csrf: drafter.csrf }, '年报.txt')
      expect(report.statusCode).toBe(422)
      expect(report.body).toContain('文件超过 10 MB')
      expect(await t.deps.db.selectFrom('attachments').selectAll().execute()).toEqual([])
      expect(await t.deps.db.selectFrom('application_files').selectAll().execute()).toEqual([])
      expect(await t.deps.db.selectFrom('annual_reports').selectAll().execute()).toEqual([])
    } finally {
      await t.close()
    }
  })
})
