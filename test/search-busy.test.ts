import { afterEach, describe, expect, test } from 'vitest'
import { loadConfig } from '../src/config.ts'
import { AppError } from '../src/errors.ts'
import { FullScoringGate, busyMessage, fullScoringGate } from '../src/search/full-scoring.ts'
import { testApp } from './support/app.ts'
import type { TestApp } from './support/app.ts'
import { buildItem } from './support/build-item.ts'
import { databaseKinds } from './support/test-deps.ts'

// Relevance searches that score every match (deep pages, queries the lists cannot prove) take a minute of a core at
// 1,000,000 items on PostgreSQL: a crawler asking for many at once must not take every pooled connection (issue #15).
// They take turns, a few at a time; past a short queue a search is refused at once in Chinese, and nothing else waits.

/** A promise and the function that settles it. */
function held() {
  let release!: () => void
  const promise = new Promise<void>((resolve) => (release = resolve))
  return { promise, release }
}

test('searches scoring every match take turns: two at once, one waits, the next is refused with a Chinese message', async () => {
  const gate = new FullScoringGate({ concurrency: 2, waiting: 1 })
  const started: number[] = []
  const holds = [held(), held(), held()]
  const runs = holds.map((h, i) =>
    gate.run(async () => {
      started.push(i)
      await h.promise
      return i
    }),
  )
  await Promise.resolve()
  expect(started).toEqual([0, 1])
  expect(gate.load).toEqual({ running: 2, waiting: 1 })
  const refused = await gate.run(async () => 'ran').catch((e: unknown) => e)
  expect(refused).toBeInstanceOf(AppError)
  expect((refused as AppError).code).toBe('busy')
  expect((refused as AppError).message).toBe(busyMessage)
  expect(busyMessage).toMatch(/^[\p{Script=Han}，。、]+$/u)
  // The first to finish hands its place to the one waiting.
  holds[0]!.release()
  expect(await runs[0]).toBe(0)
  await new Promise((resolve) => setImmediate(resolve))
  expect(started).toEqual([0, 1, 2])
  expect(gate.load).toEqual({ running: 2, waiting: 0 })
  holds[1]!.release()
  holds[2]!.release()
  expect(await Promise.all(runs)).toEqual([0, 1, 2])
  expect(gate.load).toEqual({ running: 0, waiting: 0 })
  // A search that waits too long is refused, and leaves the queue.
  const slow = new FullScoringGate({ concurrency: 1, waiting: 1, maxWaitMs: 30 })
  const occupying = held()
  const first = slow.run(() => occupying.promise)
  const waited = await slow.run(async () => 'ran').catch((e: unknown) => e)
  expect((waited as AppError).code).toBe('busy')
  expect(slow.load).toEqual({ running: 1, waiting: 0 })
  occupying.release()
  await first
  expect(slow.load).toEqual({ running: 0, waiting: 0 })
  // A search that fails frees its place too.
  await expect(gate.run(() => Promise.reject(new Error('查询失败')))).rejects.toThrow('查询失败')
  expect(gate.load).toEqual({ running: 0, waiting: 0 })
})

test('the limits are settings, refused in Chinese when they make no sense', () => {
  expect(loadConfig({}).searchScoring).toEqual({ concurrency: 2, waiting: 16 })
  expect(loadConfig({ SEARCH_SCORING_CONCURRENCY: '4', SEARCH_SCORING_QUEUE: '0' }).searchScoring).toEqual({
    concurrency: 4,
    waiting: 0,
  })
  expect(() => loadConfig({ SEARCH_SCORING_CONCURRENCY: '0' })).toThrow('SEARCH_SCORING_CONCURRENCY 至少为 1')
  expect(() => loadConfig({ SEARCH_SCORING_QUEUE: '许多' })).toThrow('SEARCH_SCORING_QUEUE 应为整数')
})

describe.each(databaseKinds)('searching while deep searches hold the gate on %s', (kind) => {
  let t: TestApp | undefined
  afterEach(async () => {
    await t?.close()
    t = undefined
  })

  test('a relevance search that must score every match is refused (503, Chinese, retry later) while the places are taken; date order and other pages still answer', async () => {
    t = await testApp(kind, { env: { SEARCH_SCORING_CONCURRENCY: '1', SEARCH_SCORING_QUEUE: '0' } })
    const item = await buildItem(t.deps, {
      title: '关于公开预算执行情况的通知',
      body: '<p>本级预算执行情况公开如下。</p>',
      until: 'published',
    })
    const gate = fullScoringGate(t.deps.db)
    expect(gate?.limits).toEqual({ concurrency: 1, waiting: 0 })
    // Two parts: the lists answer one part only, so this search scores every match.
    const url = `/search?q=${encodeURIComponent('预算 公开')}`
    const before = await t.app.inject(url)
    expect(before.statusCode).toBe(200)
    expect(before.body).toContain(`href="/items/${item.id}"`)

    const hold = held()
    const holding = gate!.run(() => hold.promise)
    try {
      const refused = await t.app.inject(url)
      expect(refused.statusCode).toBe(503)
      expect(refused.headers['retry-after']).toBe('30')
      expect(refused.body).toContain(busyMessage)
      const byDate = await t.app.inject(`${url}&sort=date`)
      expect(byDate.statusCode).toBe(200)
      expect(byDate.body).toContain(`href="/items/${item.id}"`)
      expect((await t.app.inject('/')).statusCode).toBe(200)
    } finally {
      hold.release()
      await holding
    }
    const after = await t.app.inject(url)
    expect(after.statusCode).toBe(200)
    expect(after.body).toContain(`href="/items/${item.id}"`)
  })
})
