import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { createAgency } from '../src/agencies/agency.service.ts'
import { systemActor } from '../src/audit/audit.ts'
import { searchAudit } from '../src/audit/audit.service.ts'
import { AppError } from '../src/errors.ts'
import { insertReport, listPublishedReports } from '../src/reports/report.store.ts'
import {
  checkStored,
  computeDraft,
  findOwnReport,
  importEarlierReport,
  publishReport,
  regionReportOf,
  reviewReport,
  saveNarrative,
  submitForReview,
} from '../src/reports/report.service.ts'
import type { TestEnv } from './support/test-deps.ts'
import { clearReportFindings, returnApprovedReport } from '../src/reports/report-scan.service.ts'
import type { AnnualReport } from '../src/reports/report.ts'
import { notifyFee, recordFeePaid } from '../src/applications/application.service.ts'
import { saveFeePayment } from '../src/applications/settings.service.ts'
import { buildApplication, buildStaffActor } from './support/build-application.ts'
import { buildStaff, setUpRegion } from './support/builders.ts'
import { flatten } from './support/report-text.ts'
import { databaseKinds, testEnv } from './support/test-deps.ts'

const staffOf = (id: number, agencyId: number) => ({ ...systemActor('测试员'), id, agencyId })
const allChecks = ['political', 'legal', 'confidentiality', 'wording', 'opinionRisk'] as const

/** Submits a draft and has three different reviewers of the agency sign levels 1 to 3. */
async function reviewThrough(t: TestEnv, author: ReturnType<typeof staffOf>, id: number) {
  await submitForReview(t.deps, author, id)
  for (const level of [1, 2, 3]) {
    const reviewer = await buildStaff(t.deps, { roles: ['reviewer'], reviewLevel: level, agencyId: author.agencyId })
    await reviewReport(t.deps, staffOf(reviewer.id, author.agencyId), level, id, {
      decision: 'approved',
      checks: allChecks,
      reason: null,
    })
  }
}

const huaian = () =>
  JSON.parse(readFileSync(path.resolve('test/fixtures/reports/huaian-2024.expected.json'), 'utf8')) as AnnualReport

describe.each(databaseKinds)('annual reports on %s', (kind) => {
  // Section 六 states the 信息处理费 collected in the year (law-and-format.md §2.3 and §3, 国办函〔2020〕109号):
  // the fees paid in the year, whichever year the application was received or notified in.
  test('section 六 of a computed report states the information-processing fees paid in the year (109号)', async () => {
    const t = await testEnv(kind, '2025-11-03T02:00:00Z')
    const at = (date: string) => t.clock.set(`${date}T02:00:00Z`)
    try {
      const { officeId } = await setUpRegion(t.deps)
      const handler = await buildStaffActor(t.deps, { roles: ['handler'] })
      const actor = staffOf(handler.id, officeId)
      const received = async (on: string) => (await buildApplication(t.deps, { receivedOn: on })).id
      const [a, b] = [await received('2025-11-03'), await received('2025-11-03')]
      await saveFeePayment(t.deps, handler, '通过政府非税收入统一缴款平台缴纳') // 109号: the notice states how to pay
      at('2025-11-05')
      expect(await notifyFee(t.deps, handler, a, { on: '2025-11-05', method: 'volume', pages: 50 })).toBe(200)
      expect(await notifyFee(t.deps, handler, b, { on: '2025-11-05', method: 'volume', pages: 31 })).toBe(10)
      at('2025-12-08')
      // Received 12-08, due in January: its fee notice of 12-29 is within the reply period (109号).
      const c = await received('2025-12-08')
      at('2025-12-29')
      expect(await notifyFee(t.deps, handler, c, { on: '2025-12-29', method: 'volume', pages: 130 })).toBe(1300)
      at('2025-12-30')
      await recordFeePaid(t.deps, handler, a, { on: '2025-11-20' })
      await recordFeePaid(t.deps, handler, b, { on: '2025-12-30' })
      at('2026-01-06')
      await recordFeePaid(t.deps, handler, c, { on: '2026-01-06' }) // notified in 2025, paid in 2026
      const other = async (year: number) =>
        (await findOwnReport(t.deps, actor, await computeDraft(t.deps, actor, year))).report.sections.other
      expect(await other(2025)).toBe('2025年有2件政府信息公开申请案件收取信息处理费210元。')
      expect(await other(2026)).toBe('2026年有1件政府信息公开申请案件收取信息处理费1300元。')
      expect(await other(2024)).toBe('2024年未收取信息处理费。')
    } finally {
      await t.close()
    }
  })

  test('compute a draft, write its narrative, publish it; a correction supersedes it and both stay visible', async () => {
    const t = await testEnv(kind, '2025-01-10T02:00:00Z')
    try {
      const { officeId } = await setUpRegion(t.deps)
      const actor = staffOf(1, officeId)
      const id = await computeDraft(t.deps, actor, 2024)
      const draft = await findOwnReport(t.deps, actor, id)
      expect(draft.report.format).toBe('2021')
      expect(draft.report.applications.rows.NEW).toEqual([0, 0, 0, 0, 0, 0, 0])
      await saveNarrative(t.deps, actor, id, {
        overview: '2024年，本机关未收到政府信息公开申请。',
        problems: '无。',
        other: '2024年未收取信息处理费。\n本机关无其他需要报告的事项。',
      })
      expect(await computeDraft(t.deps, actor, 2024)).toBe(id) // recomputing keeps the one draft and its narrative
      expect((await findOwnReport(t.deps, actor, id)).report.sections.other).toBe(
        '2024年未收取信息处理费。\n本机关无其他需要报告的事项。',
      )
      await expect(publishReport(t.deps, actor, id, undefined)).rejects.toThrow(/先审后发/)
      await reviewThrough(t, actor, id)
      await publishReport(t.deps, actor, id, undefined)
      await expect(saveNarrative(t.deps, actor, id, { overview: '改', problems: null, other: null })).rejects.toThrow(
        /不能修改/,
      )

      const second = await computeDraft(t.deps, actor, 2024)
      expect(second).not.toBe(id)
      await reviewThrough(t, actor, second)
      await publishReport(t.deps, actor, second, undefined)
      const published = await listPublishedReports(t.deps.db)
      expect(published.map((r) => [r.id, r.status, r.version, r.supersedes_id])).toEqual([
        [second, 'published', 2, id],
        [id, 'superseded', 1, null],
      ])
      expect((await searchAudit(t.deps, { action: 'report.publish' }, 1)).length).toBe(2)
    } finally {
      await t.close()
    }
  })

  test('publishing is blocked while an error finding stands, unless the office head gives a reason', async () => {
    const t = await testEnv(kind, '2025-01-10T02:00:00Z')
    try {
      const { officeId } = await setUpRegion(t.deps)
      const actor = staffOf(1, officeId)
      const bad = huaian()
      bad.applications.rows.NEW![0] = 3002
      const now = t.clock.now().toISOString()
      const id = await insertReport(t.deps.db, {
        agency_id: officeId,
        year: 2024,
        format: '2021',
        source: 'computed',
        status: 'draft',
        version: 0,
        report: { ...bad, sections: { overview: null, problems: null, other: null }, missing: [] },
        source_name: null,
        override_reason: null,
        supersedes_id: null,
        created_at: now,
        created_by: null,
        updated_at: now,
        published_at: null,
        published_by: null,
      })
      await reviewThrough(t, actor, id)
      await expect(publishReport(t.deps, actor, id, undefined)).rejects.toBeInstanceOf(AppError)
      await publishReport(t.deps, actor, id, '自然人列差 1 件系上年结转口径调整，已在说明中注明')
      const stored = await findOwnReport(t.deps, actor, id)
      expect(stored.status).toBe('published')
      expect(stored.override_reason).toContain('口径调整')
    } finally {
      await t.close()
    }
  })

  test('review levels: the author cannot sign, one person signs one level, a return with a reason reopens the draft', async () => {
    const t = await testEnv(kind, '2025-01-10T02:00:00Z')
    try {
      const { officeId } = await setUpRegion(t.deps)
      const drafter = await buildStaff(t.deps, { roles: ['drafter', 'reviewer'], reviewLevel: 1 })
      const author = staffOf(drafter.id, officeId)
      const id = await computeDraft(t.deps, author, 2024)
      await submitForReview(t.deps, author, id)
      await expect(saveNarrative(t.deps, author, id, { overview: 'x', problems: null, other: null })).rejects.toThrow(
        /不能修改/,
      )
      await expect(
        reviewReport(t.deps, author, 1, id, { decision: 'approved', checks: allChecks, reason: null }),
      ).rejects.toThrow(/起草人不能审核/)
      const r1 = await buildStaff(t.deps, { roles: ['reviewer'], reviewLevel: 1 })
      const first = staffOf(r1.id, officeId)
      await expect(
        reviewReport(t.deps, first, 1, id, { decision: 'approved', checks: ['political'], reason: null }),
      ).rejects.toThrow(/法律关/)
      await reviewReport(t.deps, first, 1, id, { decision: 'approved', checks: allChecks, reason: null })
      await expect(
        reviewReport(t.deps, first, 1, id, { decision: 'approved', checks: allChecks, reason: null }),
      ).rejects.toThrow(/级别不符/)
      const r2 = await buildStaff(t.deps, { roles: ['reviewer'], reviewLevel: 2 })
      await expect(
        reviewReport(t.deps, staffOf(r2.id, officeId), 2, id, { decision: 'returned', checks: [], reason: '' }),
      ).rejects.toThrow(/理由/)
      await reviewReport(t.deps, staffOf(r2.id, officeId), 2, id, {
        decision: 'returned',
        checks: [],
        reason: '总体情况未写依申请公开办理情况',
      })
      const back = await findOwnReport(t.deps, author, id)
      expect(back.status).toBe('draft')
      await saveNarrative(t.deps, author, id, { overview: '补充了依申请公开情况。', problems: null, other: null })
      await submitForReview(t.deps, author, id)
      // A new round: level 1 signs again, and the same first reviewer may sign it.
      await reviewReport(t.deps, first, 1, id, { decision: 'approved', checks: allChecks, reason: null })
      expect((await findOwnReport(t.deps, author, id)).review_round).toBe(2)
      expect((await searchAudit(t.deps, { action: 'review.return' }, 1)).length).toBe(1)
    } finally {
      await t.close()
    }
  })

  test("whoever edited another drafter's report narrative cannot sign its review (issue #14: no edit-then-approve)", async () => {
    const t = await testEnv(kind, '2025-01-10T02:00:00Z')
    try {
      const { officeId } = await setUpRegion(t.deps)
      const author = staffOf((await buildStaff(t.deps, { roles: ['drafter'] })).id, officeId)
      const editor = staffOf(
        (await buildStaff(t.deps, { roles: ['drafter', 'reviewer'], reviewLevel: 1 })).id,
        officeId,
      )
      const id = await computeDraft(t.deps, author, 2024)
      await saveNarrative(t.deps, editor, id, { overview: '由审核人改写的总体情况。', problems: null, other: null })
      await submitForReview(t.deps, author, id)
      await expect(
        reviewReport(t.deps, editor, 1, id, { decision: 'approved', checks: allChecks, reason: null }),
      ).rejects.toThrow(/修改过该内容的人不能审核/)
      const other = staffOf((await buildStaff(t.deps, { roles: ['reviewer'], reviewLevel: 1 })).id, officeId)
      await reviewReport(t.deps, other, 1, id, { decision: 'approved', checks: allChecks, reason: null })
      expect((await findOwnReport(t.deps, author, id)).status).toBe('in_review')
    } finally {
      await t.close()
    }
  })

  test('a report passes the confidentiality scan before it is public (条例 art. 17; issue #14): an ID and phone in the narrative stop the 保密审查 level and publishing until cleared; 机密★ can only go back to the drafter', async () => {
    const t = await testEnv(kind, '2025-01-10T02:00:00Z')
    try {
      const { officeId } = await setUpRegion(t.deps)
      const author = staffOf((await buildStaff(t.deps, { roles: ['drafter'] })).id, officeId)
      const head = staffOf((await buildStaff(t.deps, { roles: ['office_head'] })).id, officeId)
      const [r1, r2, r3] = await Promise.all(
        [1, 2, 3].map(async (level) =>
          staffOf((await buildStaff(t.deps, { roles: ['reviewer'], reviewLevel: level })).id, officeId),
        ),
      )
      const sign = (who: typeof author, level: number, id: number) =>
        reviewReport(t.deps, who, level, id, { decision: 'approved', checks: allChecks, reason: null })
      const id = await computeDraft(t.deps, author, 2024)
      await saveNarrative(t.deps, author, id, {
        overview: '全年办理申请 3 件。申请人张三（身份证号 11010519491231002X，电话 13912345678）的申请已答复。',
        problems: null,
        other: null,
      })
      // The drafter sees the findings as soon as the narrative is saved.
      const saved = await findOwnReport(t.deps, author, id)
      expect(JSON.parse(saved.findings!).map((f: { kind: string }) => f.kind)).toEqual(['id_number', 'phone'])
      await submitForReview(t.deps, author, id)
      await sign(r1!, 1, id)
      await sign(r2!, 2, id)
      await expect(sign(r3!, 3, id)).rejects.toThrow(/保密审查发现 2 处内容尚未处理/)
      await clearReportFindings(t.deps, r3!, 3, id, '申请人书面同意公开')
      await sign(r3!, 3, id)
      await publishReport(t.deps, head, id, undefined)
      expect((await findOwnReport(t.deps, author, id)).status).toBe('published')
      expect((await searchAudit(t.deps, { action: 'report.findings_clear' }, 1)).length).toBe(1)

      // A secret marking: never cleared; publishing is refused and audited; the office head returns it.
      const next = await computeDraft(t.deps, author, 2024)
      await saveNarrative(t.deps, author, next, { overview: '机密★10年 内部数据。', problems: null, other: null })
      await submitForReview(t.deps, author, next)
      await sign(r1!, 1, next)
      await sign(r2!, 2, next)
      await expect(sign(r3!, 3, next)).rejects.toThrow(/密级标志/)
      await expect(clearReportFindings(t.deps, r3!, 3, next, '已解密')).rejects.toThrow(/不能在系统中解除/)
      // Even had it been approved (an old approval, a narrative that changed), publishing scans again.
      await t.deps.db.updateTable('annual_reports').set({ status: 'approved' }).where('id', '=', next).execute()
      await expect(publishReport(t.deps, head, next, undefined)).rejects.toThrow(/报告含密级标志，不能发布/)
      expect((await findOwnReport(t.deps, author, next)).status).toBe('approved')
      expect((await searchAudit(t.deps, { action: 'report.quarantine' }, 1)).length).toBe(1)
      await expect(returnApprovedReport(t.deps, author, next, '退回')).rejects.toThrow(/公开办负责人或保密审查人员/)
      await returnApprovedReport(t.deps, head, next, '删去密级标志和内部数据')
      expect((await findOwnReport(t.deps, author, next)).status).toBe('draft')
      const published = await listPublishedReports(t.deps.db)
      expect(published.map((r) => [r.id, r.status])).toEqual([[id, 'published']])
    } finally {
      await t.close()
    }
  })

  test("an imported report of last year is what this year's carried-in is checked against (X1)", async () => {
    const t = await testEnv(kind, '2025-01-10T02:00:00Z')
    try {
      const { officeId } = await setUpRegion(t.deps)
      const actor = staffOf(1, officeId)
      const last = huaian()
      last.year = 2023
      const text = flatten(
        { ...last, sections: { overview: '略', problems: '无', other: '无' }, missing: [] } as AnnualReport,
        'spaces',
        { title: '淮安市人民政府2023年政府信息公开工作年度报告' },
      )
      // The report names another agency: it is taken only when the importer confirms it is theirs (issue #12).
      await expect(importEarlierReport(t.deps, actor, Buffer.from(text), '2023年报.txt')).rejects.toThrow(
        /报告中的机关为“淮安市人民政府”，与本机关“垫江县人民政府办公室”不一致/,
      )
      expect(await t.deps.db.selectFrom('annual_reports').selectAll().execute()).toEqual([])
      const confirmed = { confirmAgency: true }
      const imported = await importEarlierReport(t.deps, actor, Buffer.from(text), '2023年报.txt', confirmed)
      expect((await findOwnReport(t.deps, actor, imported)).status).toBe('imported')
      const draft = await findOwnReport(t.deps, actor, await computeDraft(t.deps, actor, 2024))
      const x1 = (await checkStored(t.deps, draft)).findings.filter((f) => f.rule === 'X1')
      // Last year carried 103 applications into 2024; this agency's records show none.
      expect(x1.map((f) => f.message)).toContain('X1（自然人列）：本年上年结转 0，不等于 上年报告结转下年度 103')
      await expect(importEarlierReport(t.deps, actor, Buffer.from('这不是年报'), 'x.txt')).rejects.toThrow(/年度/)
    } finally {
      await t.close()
    }
  })

  test("another agency's report is not found, and the region report sums the published ones", async () => {
    const t = await testEnv(kind, '2025-01-10T02:00:00Z')
    try {
      const { officeId } = await setUpRegion(t.deps)
      const bureau = await createAgency(t.deps, systemActor(), {
        name: '垫江县司法局',
        creditCode: '11500231MB1530120U',
        level: '县级',
        kind: '政府部门',
        parentId: officeId,
      })
      const office = staffOf(1, officeId)
      const justice = staffOf(2, bureau)
      const id = await computeDraft(t.deps, office, 2024)
      await expect(findOwnReport(t.deps, justice, id)).rejects.toThrow(/不存在/)
      await reviewThrough(t, office, id)
      await publishReport(t.deps, office, id, undefined)
      const region = await regionReportOf(t.deps, 2024)
      expect(region.agencies.map((a) => a.agencyName)).toEqual(['垫江县人民政府办公室'])
      expect(region.withoutReport).toEqual(['垫江县司法局'])
      expect(region.report.agency).toBe('重庆市垫江县')
    } finally {
      await t.close()
    }
  })
})
