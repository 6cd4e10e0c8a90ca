import { describe, expect, test } from 'vitest'
import { GroupCommitter } from '../src/storage/group-commit.ts'
import { databaseKinds, testEnv } from './support/test-deps.ts'

// Submissions that arrive together share one commit; one that fails is rolled back alone and the
// others are kept; nobody is answered before the commit that holds their write.

describe.each(databaseKinds)('group commit on %s', (kind) => {
  test('a batch commits together, a failing member rolls back alone', async () => {
    const t = await testEnv(kind)
    try {
      const committer = new GroupCommitter(t.deps.db)
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
})
