import Database from 'better-sqlite3'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { submitApplication } from '../src/applications/intake.service.ts'
import { systemActor } from '../src/audit/audit.ts'
import { verifyAuditChain } from '../src/audit/audit.service.ts'
import { AppError } from '../src/errors.ts'
import { GroupCommitter } from '../src/storage/group-commit.ts'
import type { Executor } from '../src/storage/database.ts'
import { sqliteFileName } from '../src/storage/open-database.ts'
import { citizenApplication } from './support/build-application.ts'
import { setUpRegion } from './support/builders.ts'
import { databaseKinds, testEnv } from './support/test-deps.ts'

// Submissions that arrive together share one commit and its statements; one that fails is rolled
// back alone and the others are kept; nobody is answered before the commit that holds their write.

describe.each(databaseKinds)('group commit on %s', (kind) => {
  test('a batch commits together, a failing member rolls back alone', async () => {
    const t = await testEnv(kind)
    try {
      type Work = (trx: Executor) => Promise<string>
      const committer = new GroupCommitter<Work, string>(t.deps.db, async (trx, works) => {
        const out: string[] = []
        for (const work of works) out.push(await work(trx))
        return out
      })
      const write = (key: string, fail = false) =>
        committer.run(async (trx) => {
          await trx.insertInto('settings').values({ key, value: 'v', updated_at: 'x', updated_by: null }).execute()
          if (fail) throw new Error(`${key} failed`)
          return key
        })
      const results = await Promise.allSettled([write('a'), write('b', true), write('c'), write('a')])
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected']) // the second 'a' breaks the key's uniqueness
      const keys = (
        await t.deps.db
          .selectFrom('settings')
          .select('key')
          .where('key', 'in', ['a', 'b', 'c'])
          .orderBy('key')
          .execute()
      ).map((r) => r.key)
      expect(keys).toEqual(['a', 'c'])
    } finally {
      await t.close()
    }
  })

  test('applications sent at once are each stored exactly once, with their received step and audit entry, and a chain that verifies', async () => {
    const t = await testEnv(kind)
    try {
      const { officeId } = await setUpRegion(t.deps)
      // On SQLite, a second connection sees only what is committed: each receipt must already be there.
      const reader =
        kind === 'sqlite' ? new Database(path.join(t.env.DATA_DIR!, sqliteFileName), { readonly: true }) : undefined
      const committedWhenAnswered: boolean[] = []
      const submit = (n: number, key = `web:at-once-${n}-0123456789`) =>
        submitApplication(
          t.deps,
          systemActor('申请人'),
          officeId,
          citizenApplication({ name: `申请人${n}`, infoDescription: `第${n}号申请：道路养护合同` }),
          { channel: 'online', agencyChecked: true, idempotencyKey: key, idempotencyChecked: true },
        ).then((s) => {
          const seen = reader?.prepare('select count(*) as n from applications where number = ?').get(s.number)
          if (reader) committedWhenAnswered.push((seen as { n: number }).n === 1)
          return s
        })
      // Twenty applications, and two of them sent twice (a double click): the copies are the same application.
      const sent = await Promise.all([...Array.from({ length: 20 }, (_, n) => submit(n)), submit(3), submit(7)])
      reader?.close()
      expect(new Set(sent.map((s) => s.number)).size).toBe(20)
      expect(sent[20]!.number).toBe(sent[3]!.number)
      expect(sent[21]!.number).toBe(sent[7]!.number)
      const stored = await t.deps.db.selectFrom('applications').select(['id', 'number', 'idempotency_key']).execute()
      expect(stored).toHaveLength(20)
      expect(new Set(stored.map((r) => r.idempotency_key)).size).toBe(20)
      const received = await t.deps.db
        .selectFrom('application_events')
        .select('application_id')
        .where('kind', '=', 'received')
        .execute()
      expect(received.map((e) => e.application_id).sort((a, b) => a - b)).toEqual(
        stored.map((r) => r.id).sort((a, b) => a - b),
      )
      const audited = await t.deps.db
        .selectFrom('audit_log')
        .select('object_id')
        .where('action', '=', 'application.received')
        .execute()
      expect(audited.map((a) => a.object_id).sort()).toEqual(stored.map((r) => r.number).sort())
      expect((await verifyAuditChain(t.deps)).problems).toEqual([])
      if (kind === 'sqlite') expect(committedWhenAnswered).toEqual(Array.from({ length: 22 }, () => true))
    } finally {
      await t.close()
    }
  })

  test('one application of a batch that fails is refused in Chinese, and the others sent with it are stored', async () => {
    const t = await testEnv(kind)
    try {
      const { officeId } = await setUpRegion(t.deps)
      const submit = (n: number, over: { key?: string; agencyId?: number; infoDescription?: string } = {}) =>
        submitApplication(
          t.deps,
          systemActor('申请人'),
          over.agencyId ?? officeId,
          citizenApplication({ name: `申请人${n}`, infoDescription: over.infoDescription ?? `第${n}号申请` }),
          {
            channel: 'online',
            agencyChecked: over.agencyId === undefined,
            idempotencyKey: over.key ?? `web:one-fails-${n}-0123456789`,
            idempotencyChecked: true,
          },
        )
      const results = await Promise.allSettled([
        submit(0),
        submit(1),
        // Another application under the key of the first: refused, never given the first's receipt.
        submit(2, { key: 'web:one-fails-0-0123456789', infoDescription: '另一份申请' }),
        // An agency that does not exist.
        submit(3, { agencyId: 999_999 }),
        submit(4),
      ])
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'rejected', 'fulfilled'])
      const refusal = (i: number) => (results[i] as PromiseRejectedResult).reason as unknown
      expect(refusal(2)).toBeInstanceOf(AppError)
      expect((refusal(2) as AppError).message).toContain('不能重复使用')
      expect(refusal(3)).toBeInstanceOf(AppError)
      expect((refusal(3) as AppError).message).toBe('机关不存在')
      const stored = await t.deps.db.selectFrom('applications').select(['info_description']).orderBy('id').execute()
      expect(stored.map((r) => r.info_description).sort()).toEqual(['第0号申请', '第1号申请', '第4号申请'])
      expect((await verifyAuditChain(t.deps)).problems).toEqual([])
    } finally {
      await t.close()
    }
  })
})
