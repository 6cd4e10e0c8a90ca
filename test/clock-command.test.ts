import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { gongkai } from './support/cli.ts'
import { databaseKinds, testEnv } from './support/test-deps.ts'
import type { TestEnv } from './support/test-deps.ts'

// `gongkai clock FILE|-` run as an operator would, on the 2026 calendar the migrations seed.
// Received 2026-03-02 (Mon), no holiday in March: 3-3…3-6 (4), 3-9…3-13 (9), 3-16…3-20 (14),
// 3-23…3-27 (19), 3-30 (20): due 2026-03-30.

describe.each(databaseKinds)('gongkai clock on %s', (kind) => {
  let t: TestEnv
  const dir = mkdtempSync(path.join(tmpdir(), 'gongkai-clock-'))
  beforeAll(async () => {
    t = await testEnv(kind)
  })
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true })
    await t.close()
  })
  const clock = async (input: unknown) => {
    const file = path.join(dir, `${Math.random()}.json`)
    writeFileSync(file, typeof input === 'string' ? input : JSON.stringify(input))
    const r = await gongkai(['clock', file], t.env)
    return { ...r, out: r.code < 2 ? JSON.parse(r.stdout) : null }
  }

  test('arts. 32, 34: a consultation sent 3-20 and unanswered on 4-02 is paused, not overdue, due 4-13', async () => {
    // Counted to 3-20 (14); 3-23…4-02 paused; 4-03 (15), 清明 4-4…4-6, 4-07…4-10 (19), 4-13 (20).
    const r = await clock({
      receivedOn: '2026-03-02',
      asOf: '2026-04-02',
      events: [{ kind: 'consultation_sent', on: '2026-03-20', ref: 'a', party: 'thirdParty' }],
    })
    expect(r.code, r.stderr).toBe(0)
    expect(r.out).toMatchObject({ due: '2026-04-13', paused: true, overdue: false, problems: [] })
  })

  test('109号: a fee notice received 3-13 is payable by 4-13; ending it for non-payment on 4-09 is refused', async () => {
    // 3-16…3-20 (5), 3-23…3-27 (10), 3-30…4-03 (15), 清明 4-4…4-6, 4-07…4-10 (19), 4-13 (20).
    const r = await clock({
      receivedOn: '2026-03-02',
      asOf: '2026-04-09',
      events: [
        { kind: 'fee_notified', on: '2026-03-10', receivedByApplicantOn: '2026-03-13' },
        { kind: 'concluded', on: '2026-04-09', outcome: 'OTHER_NO_FEE' },
      ],
    })
    expect(r.code).toBe(1)
    expect(r.out.feePayBy).toBe('2026-04-13')
    expect(r.out.problems).toEqual([{ event: 1, code: 'no_fee_too_early', message: expect.stringMatching(/109号/) }])
  })

  test('art. 30: a 补正 asked for on 4-01 for an application due 3-30 is refused', async () => {
    const r = await clock({
      receivedOn: '2026-03-02',
      asOf: '2026-04-02',
      events: [{ kind: 'correction_requested', on: '2026-04-01' }],
    })
    expect(r.code).toBe(1)
    expect(r.out).toMatchObject({ due: '2026-03-30', overdue: true, paused: false })
    expect(r.out.problems.map((p: { code: string }) => p.code)).toEqual(['correction_after_due'])
  })

  test('art. 33 para. 2: an extension approved 3-30 and notified 4-02 leaves the due date at 3-30', async () => {
    const r = await clock({
      receivedOn: '2026-03-02',
      asOf: '2026-04-02',
      events: [{ kind: 'extension_approved', on: '2026-03-30', days: 20, noticeIssuedOn: '2026-04-02' }],
    })
    expect(r.code).toBe(1)
    expect(r.out.due).toBe('2026-03-30')
    expect(r.out.problems[0].message).toMatch(/第三十三条/)
  })

  test('a due date in 2027, whose notice is not recorded, is provisional (暂定)', async () => {
    // 12-11 (1), 12-14…12-18 (6), 12-21…12-25 (11), 12-28…12-31 (15), 元旦 1-1, 1-4…1-8 (20).
    const r = await clock({ receivedOn: '2026-12-10', asOf: '2026-12-10' })
    expect(r.code).toBe(0)
    expect(r.out).toMatchObject({ due: '2027-01-08', provisional: true })
    expect(r.out.steps.at(-1).text).toMatch(/^暂定/)
  })

  test('unreadable input exits 2 with a Chinese message', async () => {
    const broken = await clock('{"receivedOn": "2026-03-02"')
    expect(broken.code).toBe(2)
    expect(broken.stderr).toContain('无法解析 JSON')
    const wrongKind = await clock({
      receivedOn: '2026-03-02',
      asOf: '2026-03-02',
      events: [{ kind: 'x', on: '2026-03-03' }],
    })
    expect(wrongKind.code).toBe(2)
    expect(wrongKind.stderr).toContain('输入有误')
  })
})
