import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { encryptApplicantFiles, maxApplicantBytes, readApplicantFile } from '../src/applications/applicant.service.ts'
import { storeFile } from '../src/files/file-store.ts'
import { buildApplication, buildStaffActor } from './support/build-application.ts'
import { testApp } from './support/app.ts'
import type { TestApp } from './support/app.ts'
import { anonymousSession } from './support/builders.ts'
import { multipart } from './support/multipart.ts'
import { databaseKinds } from './support/test-deps.ts'

// Issue #14: an applicant's uploads can neither fill the disk nor sit readable on it. The five-file and total-size
// limits are checked before a byte is written; the files are stored encrypted with the field key, bound to their
// application (个人信息保护法 art. 51: encryption of personal information); files stored earlier are encrypted at start.

/** Every file under DATA_DIR/files, as stored (name → bytes). */
function storedFiles(t: TestApp): Map<string, Buffer> {
  const root = path.join(t.env.DATA_DIR!, 'files')
  const out = new Map<string, Buffer>()
  if (!existsSync(root)) return out
  for (const y of readdirSync(root))
    for (const f of readdirSync(path.join(root, y))) out.set(`${y}/${f}`, readFileSync(path.join(root, y, f)))
  return out
}

const pdf = (text: string, size = 0) => Buffer.concat([Buffer.from(`%PDF-1.4 ${text}\n`), Buffer.alloc(size, 0x20)])

async function upload(t: TestApp, app: { number: string; queryCode: string }, name: string, content: Buffer) {
  const anon = await anonymousSession(t.app)
  const body = multipart({ _csrf: anon.csrf, number: app.number, queryCode: app.queryCode }, { name, content })
  return t.app.inject({
    method: 'POST',
    url: '/track/files',
    headers: { cookie: anon.cookie, 'content-type': body.contentType },
    payload: body.payload,
  })
}

describe.each(databaseKinds)("applicants' files on %s", (kind) => {
  test('a sixth file, or one that takes the application past 20 MB, is refused in Chinese before anything is written', async () => {
    const t = await testApp(kind)
    try {
      const a = await buildApplication(t.deps, { files: 4 })
      const big = await buildApplication(t.deps)
      expect((await upload(t, a, '委托书.pdf', pdf('委托书'))).statusCode).toBe(200)
      const before = storedFiles(t).size
      const sixth = await upload(t, a, '第六份.pdf', pdf('第六份'))
      expect(sixth.statusCode).toBe(422)
      expect(sixth.body).toContain('每件申请最多上传 5 份材料')
      expect(storedFiles(t).size).toBe(before)

      const nine = 9 * 1024 * 1024
      expect((await upload(t, big, '扫描件一.pdf', pdf('一', nine))).statusCode).toBe(200)
      expect((await upload(t, big, '扫描件二.pdf', pdf('二', nine))).statusCode).toBe(200)
      const full = storedFiles(t).size
      const third = await upload(t, big, '扫描件三.pdf', pdf('三', nine))
      expect(third.statusCode).toBe(422)
      expect(third.body).toContain(`每件申请的材料合计不超过 ${maxApplicantBytes / 1024 / 1024}.0 MB`)
      expect(third.body).toContain('本文件未保存')
      expect(storedFiles(t).size).toBe(full)
      expect(await t.deps.db.selectFrom('application_files').selectAll().execute()).toHaveLength(7)
    } finally {
      await t.close()
    }
  })

  test('an ID copy is encrypted on disk, bound to its application, and its handler opens the original', async () => {
    const t = await testApp(kind)
    try {
      const a = await buildApplication(t.deps)
      const idCopy = pdf('身份证复印件 李明华 11010519491231002X')
      expect((await upload(t, a, '身份证.pdf', idCopy)).statusCode).toBe(200)
      const [onDisk] = [...storedFiles(t).values()]
      expect(onDisk!.includes(Buffer.from('11010519491231002X'))).toBe(false)
      expect(onDisk!.subarray(0, 5).toString('latin1')).not.toBe('%PDF-')
      const row = await t.deps.db.selectFrom('application_files').selectAll().executeTakeFirstOrThrow()
      expect(row.size).toBe(idCopy.length)
      const head = await buildStaffActor(t.deps, { roles: ['office_head'] })
      const opened = await readApplicantFile(t.deps, head, a.id, row.id)
      expect(opened.bytes.equals(idCopy)).toBe(true)

      // Moved under another application's row, the file does not decrypt: the encryption is bound to its application.
      const other = await buildApplication(t.deps)
      await t.deps.db.updateTable('application_files').set({ application_id: other.id }).execute()
      await expect(readApplicantFile(t.deps, head, other.id, row.id)).rejects.toThrow()
    } finally {
      await t.close()
    }
  })

  test('files stored unencrypted before are encrypted at start and still open', async () => {
    const t = await testApp(kind)
    try {
      const a = await buildApplication(t.deps)
      const plain = pdf('旧的身份证复印件 11010519491231002X')
      const stored = storeFile(t.deps.config.dataDir, plain, t.deps.clock.now())
      await t.deps.db
        .insertInto('application_files')
        .values({
          application_id: a.id,
          file_name: '旧.pdf',
          content_type: 'application/pdf',
          size: plain.length,
          sha256: stored.sha256,
          storage_key: stored.key,
          created_at: t.deps.clock.now().toISOString(),
          correction_answer_id: null,
        })
        .execute()
      expect(await encryptApplicantFiles(t.deps)).toBe(1)
      expect(await encryptApplicantFiles(t.deps)).toBe(0)
      const files = [...storedFiles(t).values()]
      expect(files).toHaveLength(1)
      expect(files[0]!.includes(Buffer.from('11010519491231002X'))).toBe(false)
      const row = await t.deps.db.selectFrom('application_files').selectAll().executeTakeFirstOrThrow()
      const head = await buildStaffActor(t.deps, { roles: ['office_head'] })
      expect((await readApplicantFile(t.deps, head, a.id, row.id)).bytes.equals(plain)).toBe(true)
    } finally {
      await t.close()
    }
  })
})
