import { readdirSync } from 'node:fs'
import path from 'node:path'
import type * as FsModule from 'node:fs'
import { describe, expect, test, vi } from 'vitest'
import { buildApplication } from './support/build-application.ts'
import { testApp } from './support/app.ts'
import { anonymousSession } from './support/builders.ts'
import { multipart } from './support/multipart.ts'
import { databaseKinds } from './support/test-deps.ts'

// Issue #14: a full disk answers 503 with a Chinese message, stores nothing and leaves no half-written file. The disk
// cannot be filled for a test, so the file store's writes fail the way a full disk makes them fail (ENOSPC).

const disk = vi.hoisted(() => ({ full: false }))
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof FsModule>()
  const writeSync = ((...args: Parameters<typeof fs.writeSync>) => {
    if (disk.full) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })
    return (fs.writeSync as (...a: unknown[]) => number)(...args)
  }) as typeof fs.writeSync
  return { ...fs, default: { ...fs, writeSync }, writeSync }
})

describe.each(databaseKinds)('a full disk on %s', (kind) => {
  test('an applicant uploading a file reads that the server is out of space (503), and nothing is stored', async () => {
    const t = await testApp(kind)
    try {
      const a = await buildApplication(t.deps)
      const anon = await anonymousSession(t.app)
      const body = multipart(
        { _csrf: anon.csrf, number: a.number, queryCode: a.queryCode },
        { name: '身份证.pdf', content: Buffer.from('%PDF-1.4 身份证复印件') },
      )
      disk.full = true
      const res = await t.app.inject({
        method: 'POST',
        url: '/track/files',
        headers: { cookie: anon.cookie, 'content-type': body.contentType },
        payload: body.payload,
      })
      disk.full = false
      expect(res.statusCode).toBe(503)
      expect(res.body).toContain('服务器存储空间不足，本次提交未保存')
      expect(await t.deps.db.selectFrom('application_files').selectAll().execute()).toEqual([])
      const root = path.join(t.env.DATA_DIR!, 'files')
      const left = readdirSync(root).flatMap((y) => readdirSync(path.join(root, y)))
      expect(left).toEqual([])
    } finally {
      disk.full = false
      await t.close()
    }
  })
})
