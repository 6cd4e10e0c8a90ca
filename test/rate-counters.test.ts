import { describe, expect, test } from 'vitest'
import { countHit, readHits } from '../src/security/shared-counters.ts'
import { databaseKinds, testEnv } from './support/test-deps.ts'

// A rate limit counts every request once, however many arrive at once (issue #15: on PostgreSQL the
// hits that arrive together are written by one statement).

describe.each(databaseKinds)('rate counters on %s', (kind) => {
  test('requests counted at once are each counted once and each told its own place in the count', async () => {
    const t = await testEnv(kind)
    try {
      const hour = 3600_000
      await countHit(t.deps, 'rl:POST /login|198.51.100.7', hour)
      const [a, b] = await Promise.all([
        Promise.all(Array.from({ length: 30 }, () => countHit(t.deps, 'rl:POST /login|198.51.100.7', hour))),
        Promise.all(Array.from({ length: 5 }, () => countHit(t.deps, 'rl:POST /track|203.0.113.9', hour))),
      ])
      expect(a.map((h) => h.hits).sort((x, y) => x - y)).toEqual(Array.from({ length: 30 }, (_, i) => i + 2))
      expect(b.map((h) => h.hits).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5])
      expect((await readHits(t.deps, 'rl:POST /login|198.51.100.7', hour)).hits).toBe(31)
      expect((await readHits(t.deps, 'rl:POST /track|203.0.113.9', hour)).hits).toBe(5)
      // Later hits go on from there.
      expect((await countHit(t.deps, 'rl:POST /track|203.0.113.9', hour)).hits).toBe(6)
    } finally {
      await t.close()
    }
  })
})
