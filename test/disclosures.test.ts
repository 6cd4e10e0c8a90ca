import { describe, expect, test } from 'vitest'
import { createAgency } from '../src/agencies/agency.service.ts'
import { systemActor } from '../src/audit/audit.ts'
import { searchAudit } from '../src/audit/audit.service.ts'
import { columnStats, listColumns, listPublicItems } from '../src/disclosures/disclosure.store.ts'
import { searchItems } from '../src/search/search.store.ts'
import { columnHealth } from '../src/disclosures/column-health.ts'
import {
  addAttachment,
  changeValidity,
  createItem,
  publishDueItems,
  schedulePublication,
  findOwnItem,
  publishItem,
  updateItem,
  withdrawItem,
} from '../src/disclosures/disclosure.service.ts'
import { clearFindings, returnItem, reviewItem, submitItem } from '../src/disclosures/item-review.service.ts'
import { itemPageOf } from '../src/disclosures/item-page.service.ts'
import type { Finding } from '../src/confidentiality/scan-rules.ts'
import { signaturesOf } from '../src/reviews/review.service.ts'
import type { ItemRow } from '../src/disclosures/disclosure.store.ts'
import type { ItemInput } from '../src/disclosures/disclosure.ts'
import { applicationForm } from '../src/applications/application.ts'
import { submitApplication } from '../src/applications/intake.service.ts'
import { buildStaff, officeCreditCode, setUpRegion } from './support/builders.ts'
import { databaseKinds, testEnv } from './support/test-deps.ts'
import type { TestEnv } from './support/test-deps.ts'

const allChecks = ['political', 'legal', 'confidentiality', 'wording', 'opinionRisk'] as const
const staffOf = (id: number, agencyId: number) => ({ ...systemActor('测试员'), id, agencyId })
const findingsOf = (item: ItemRow) => (item.findings ? (JSON.parse(item.findings) as Finding[]) : [])

async function newsColumn(t: TestEnv, agencyId: number) {
  return (await listColumns(t.deps.db, agencyId)).find((c) => c.name === '部门动态')!.id
}

const input = (columnId: number, over: Partial<ItemInput> = {}): ItemInput => ({
  columnId,
  title: '县司法局开展法治宣传进社区活动',
  formedOn: '2026-03-01',
  body: '3月1日，县司法局在桂溪街道开展法治宣传活动。',
  validity: 'valid',
  ...over,
})

/** Reviewers of levels 1, 2 and 3 of the agency, as actors. */
async function reviewers(t: TestEnv, agencyId: number) {
  const level = async (reviewLevel: number) =>
    staffOf((await buildStaff(t.deps, { roles: ['reviewer'], reviewLevel, agencyId })).id, agencyId)
  return [await level(1), await level(2), await level(3)] as const
}

async function throughReview(t: TestEnv, author: ReturnType<typeof staffOf>, id: number) {
  await submitItem(t.deps, author, id)
  for (const level of [1, 2, 3]) {
    const r = await buildStaff(t.deps, { roles: ['reviewer'], reviewLevel: level, agencyId: author.agencyId })
    await reviewItem(t.deps, staffOf(r.id, author.agencyId), level, id, {
      decision: 'approved',
      checks: allChecks,
      reason: null,
    })
  }
}

describe.each(databaseKinds)('proactive disclosure on %s', (kind) => {
  test('every agency gets the standard column tree, with the fifteen article-20 columns', async () => {
    const t = await testEnv(kind)
    try {
      const { officeId } = await setUpRegion(t.deps)
      const bureau = await createAgency(t.deps, systemActor(), {
        name: '垫江县司法局',
        creditCode: '11500231MB1530120U',
        level: '县级',
        kind: '政府部门',
        parentId: officeId,
      })
      for (const agency of [officeId, bureau]) {
        const columns = await listColumns(t.deps.db, agency)
        expect(columns.filter((c) => c.article20_item !== null).map((c) => c.article20_item)).toEqual(
          Array.from({ length: 15 }, (_, i) => i + 1),
        )
        expect(columns.map((c) => c.name)).toEqual(
          expect.arrayContaining(['政府信息公开指南', '政府信息公开年报', '部门动态', '通知公告']),
        )
      }
    } finally {
      await t.close()
    }
  })

  test('an item gets the next 索引号 of its agency and year, which editing never changes', async () => {
    const t = await testEnv(kind, '2026-03-02T02:00:00Z')
    try {
      const { officeId } = await setUpRegion(t.deps)
      const author = staffOf((await buildStaff(t.deps, { roles: ['drafter'] })).id, officeId)
      const column = await newsColumn(t, officeId)
      const a = await createItem(t.deps, author, input(column))
      const b = await createItem(t.deps, author, input(column, { title: '第二条信息' }))
      expect((await findOwnItem(t.deps, author, a)).index_number).toBe(`${officeCreditCode}/2026-00001`)
      expect((await findOwnItem(t.deps, author, b)).index_number).toBe(`${officeCreditCode}/2026-00002`)
      await updateItem(t.deps, author, a, input(column, { title: '改过的名称' }))
      const edited = await findOwnItem(t.deps, author, a)
      expect([edited.title, edited.index_number]).toEqual(['改过的名称', `${officeCreditCode}/2026-00001`])
    } finally {
      await t.close()
    }
  })

  test("nothing is published unreviewed; after three levels the publisher publishes at the server's time; withdrawal leaves a notice", async () => {
    const t = await testEnv(kind, '2026-03-02T02:00:00Z')
    try {
      const { officeId } = await setUpRegion(t.deps)
      const author = staffOf((await buildStaff(t.deps, { roles: ['drafter'] })).id, officeId)
      const publisher = staffOf((await buildStaff(t.deps, { roles: ['publisher'] })).id, officeId)
      const column = await newsColumn(t, officeId)
      const id = await createItem(t.deps, author, input(column))
      await expect(publishItem(t.deps, publisher, id)).rejects.toThrow(/先审后发/)
      await throughReview(t, author, id)
      await expect(updateItem(t.deps, author, id, input(column))).rejects.toThrow(/不能修改/)
      t.clock.advanceMinutes(90)
      expect(await publishItem(t.deps, publisher, id)).toEqual({ published: true })
      const item = await findOwnItem(t.deps, author, id)
      expect([item.status, item.published_at]).toEqual(['published', '2026-03-02T03:30:00.000Z'])
      expect((await listPublicItems(t.deps.db, column)).map((i) => i.id)).toEqual([id])
      expect((await searchItems(t.deps.db, t.deps.kind, '法治宣传', {}, 'date')).map((h) => h.id)).toEqual([id])
      await expect(withdrawItem(t.deps, publisher, id, ' ')).rejects.toThrow(/理由/)
      await withdrawItem(t.deps, publisher, id, '内容有误，更正后重新发布')
      expect(await searchItems(t.deps.db, t.deps.kind, '法治宣传', {}, 'date')).toEqual([])
      expect((await findOwnItem(t.deps, author, id)).status).toBe('withdrawn')
      expect((await listPublicItems(t.deps.db, column))[0]!.withdrawn_reason).toBe('内容有误，更正后重新发布')
    } finally {
      await t.close()
    }
  })

  test('the scan runs on save: the drafter sees an ID number at once, and the 保密审查 level cannot approve until it is cleared with a reason (条例 art. 17)', async () => {
    const t = await testEnv(kind, '2026-03-02T02:00:00Z')
    try {
      const { officeId } = await setUpRegion(t.deps)
      const author = staffOf((await buildStaff(t.deps, { roles: ['drafter'] })).id, officeId)
      const publisher = staffOf((await buildStaff(t.deps, { roles: ['publisher'] })).id, officeId)
      const column = await newsColumn(t, officeId)
      const personal = await createItem(
        t.deps,
        author,
        input(column, { body: '获奖人张三，身份证号 11010519491231002X。' }),
      )
      const kinds = async () => findingsOf(await findOwnItem(t.deps, author, personal)).map((f) => f.kind)
      expect(await kinds()).toEqual(['id_number'])
      await submitItem(t.deps, author, personal)
      const [first, second, third] = await reviewers(t, officeId)
      await reviewItem(t.deps, first, 1, personal, { decision: 'approved', checks: allChecks, reason: null })
      await reviewItem(t.deps, second, 2, personal, { decision: 'approved', checks: allChecks, reason: null })
      // The third level holds the 保密关: it cannot sign over a standing finding.
      await expect(
        reviewItem(t.deps, third, 3, personal, { decision: 'approved', checks: allChecks, reason: null }),
      ).rejects.toThrow(/保密审查发现 1 处内容尚未处理/)
      expect((await findOwnItem(t.deps, author, personal)).status).toBe('in_review')
      // Only the reviewer of the confidentiality level may clear it, with a reason.
      await expect(clearFindings(t.deps, second, 2, personal, '同意公开')).rejects.toThrow(/保密审查/)
      await expect(clearFindings(t.deps, third, 3, personal, ' ')).rejects.toThrow(/理由/)
      await clearFindings(t.deps, third, 3, personal, '获奖名单经本人书面同意公开')
      await reviewItem(t.deps, third, 3, personal, { decision: 'approved', checks: allChecks, reason: null })
      expect(await publishItem(t.deps, publisher, personal)).toEqual({ published: true })
      expect((await searchAudit(t.deps, { action: 'item.findings_clear' }, 1)).length).toBe(1)
      // A secret marking cannot be cleared at all: the item goes back to its drafter.
      const secret = await createItem(t.deps, author, input(column, { body: '机密★1年\n关于某事项的请示' }))
      expect(findingsOf(await findOwnItem(t.deps, author, secret)).some((f) => !f.clearable)).toBe(true)
      await submitItem(t.deps, author, secret)
      await expect(clearFindings(t.deps, third, 3, secret, '无')).rejects.toThrow(/密级标志/)
      await returnItem(t.deps, third, secret, '含密级标志，不得公开，请删除后重新起草')
      expect((await findOwnItem(t.deps, author, secret)).status).toBe('draft')
      expect((await listPublicItems(t.deps.db, column)).map((i) => i.id)).toEqual([personal])
    } finally {
      await t.close()
    }
  })

  test('any reviewer returns an item in review for revision with a reason; the edited item starts a new round and the history keeps both', async () => {
    const t = await testEnv(kind, '2026-03-02T02:00:00Z')
    try {
      const { officeId } = await setUpRegion(t.deps)
      const author = staffOf((await buildStaff(t.deps, { roles: ['drafter'] })).id, officeId)
      const column = await newsColumn(t, officeId)
      const id = await createItem(t.deps, author, input(column))
      await submitItem(t.deps, author, id)
      const [first, , third] = await reviewers(t, officeId)
      await reviewItem(t.deps, first, 1, id, { decision: 'approved', checks: allChecks, reason: null })
      // The third level returns it while the second is waiting; a return needs a reason; the author cannot.
      await expect(returnItem(t.deps, third, id, ' ')).rejects.toThrow(/退回须写明理由/)
      await expect(returnItem(t.deps, author, id, '自己撤回')).rejects.toThrow(/起草人不能退回/)
      await returnItem(t.deps, third, id, '活动日期有误，请核实')
      expect((await findOwnItem(t.deps, author, id)).status).toBe('draft')
      await updateItem(t.deps, author, id, input(column, { body: '3月2日，县司法局在桂溪街道开展法治宣传活动。' }))
      await submitItem(t.deps, author, id)
      const item = await findOwnItem(t.deps, author, id)
      expect([item.status, item.review_round]).toEqual(['in_review', 2])
      const history = await signaturesOf(t.deps.db, 'item', id)
      expect(history.map((h) => [h.round, h.level, h.decision, h.reason])).toEqual([
        [1, 1, 'approved', null],
        [1, 0, 'returned', '活动日期有误，请核实'],
      ])
      // The new round starts at the first level again.
      await expect(
        reviewItem(t.deps, third, 3, id, { decision: 'approved', checks: allChecks, reason: null }),
      ).rejects.toThrow(/当前待初审/)
      expect((await searchAudit(t.deps, { action: 'item.return' }, 1)).length).toBe(1)
    } finally {
      await t.close()
    }
  })

  test("whoever rewrote or re-attached to another drafter's item cannot sign any level of its review (issue #14: no edit-then-approve)", async () => {
    const t = await testEnv(kind, '2026-03-02T02:00:00Z')
    try {
      const { officeId } = await setUpRegion(t.deps)
      const author = staffOf((await buildStaff(t.deps, { roles: ['drafter'] })).id, officeId)
      // One account holds both drafter and the first review level.
      const both = staffOf((await buildStaff(t.deps, { roles: ['drafter', 'reviewer'], reviewLevel: 1 })).id, officeId)
      const column = await newsColumn(t, officeId)
      const id = await createItem(t.deps, author, input(column))
      await updateItem(t.deps, both, id, input(column, { body: '改写后的正文：县司法局开展法治宣传活动。' }))
      await submitItem(t.deps, both, id)
      const sign = (who: typeof author, level: number) =>
        reviewItem(t.deps, who, level, id, { decision: 'approved', checks: allChecks, reason: null })
      await expect(sign(both, 1)).rejects.toThrow(/修改过该内容的人不能审核/)
      // The review page does not offer the form to the editor either.
      const user = {
        id: both.id,
        username: 'both',
        displayName: '起草兼初审',
        agencyId: officeId,
        roles: ['drafter', 'reviewer'] as const,
        reviewLevel: 1,
        mustChangePassword: false,
        mustEnrolTotp: false,
        totpEnabled: false,
      }
      expect((await itemPageOf(t.deps, both, user, id)).review.mayReview).toBe(false)
      // An attachment is content too: a level-2 reviewer who attached a file to the draft cannot sign level 2.
      const [first, second, third] = await reviewers(t, officeId)
      await returnItem(t.deps, first, id, '请补充附件')
      const attacher = staffOf(
        (await buildStaff(t.deps, { roles: ['drafter', 'reviewer'], reviewLevel: 2 })).id,
        officeId,
      )
      const { Document, Packer, Paragraph } = await import('docx')
      const plan = await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('活动安排')] }] }))
      await addAttachment(t.deps, attacher, id, '活动安排.docx', plan)
      await submitItem(t.deps, author, id)
      await sign(first, 1)
      await expect(sign(attacher, 2)).rejects.toThrow(/修改过该内容的人不能审核/)
      await sign(second, 2)
      await sign(third, 3)
      expect((await findOwnItem(t.deps, author, id)).status).toBe('approved')
    } finally {
      await t.close()
    }
  })

  test("column health: a new agency's columns are empty; a news item keeps 部门动态 fresh for two weeks", async () => {
    const t = await testEnv(kind, '2026-03-02T02:00:00Z')
    try {
      const { officeId } = await setUpRegion(t.deps)
      const fresh = columnHealth(await columnStats(t.deps.db, officeId), t.clock.now())
      expect(fresh.veto).toEqual([`空白栏目 ${fresh.empty} 个（达到 5 个即单项否决）`])
      const author = staffOf((await buildStaff(t.deps, { roles: ['drafter'] })).id, officeId)
      const publisher = staffOf((await buildStaff(t.deps, { roles: ['publisher'] })).id, officeId)
      const id = await createItem(t.deps, author, input(await newsColumn(t, officeId)))
      await throughReview(t, author, id)
      await publishItem(t.deps, publisher, id)
      const news = (r: ReturnType<typeof columnHealth>) => r.columns.find((c) => c.name === '部门动态')!
      expect(news(columnHealth(await columnStats(t.deps.db, officeId), t.clock.now())).state).toBe('ok')
      t.clock.advanceDays(15)
      expect(news(columnHealth(await columnStats(t.deps.db, officeId), t.clock.now()))).toMatchObject({
        state: 'stale',
        daysSince: 15,
      })
    } finally {
      await t.close()
    }
  })

  test('an item that echoes an applicant recorded after its approval is blocked at publishing; the publisher returns it to the drafter, who sees why', async () => {
    const t = await testEnv(kind, '2026-03-02T02:00:00Z')
    try {
      const { officeId } = await setUpRegion(t.deps)
      const author = staffOf((await buildStaff(t.deps, { roles: ['drafter'] })).id, officeId)
      const publisher = staffOf((await buildStaff(t.deps, { roles: ['publisher'] })).id, officeId)
      const id = await createItem(
        t.deps,
        author,
        input(await newsColumn(t, officeId), { body: '经核实，家住垫江县桂溪街道的赵德柱反映的问题已处理。' }),
      )
      await throughReview(t, author, id)
      await submitApplication(
        t.deps,
        systemActor('申请人'),
        officeId,
        applicationForm.parse({
          applicantKind: 'person',
          category: 'natural',
          name: '赵德柱',
          idType: 'resident_id',
          idNumber: '11010519491231002X',
          phone: '13811112222',
          address: '垫江县桂溪街道',
          infoDescription: '低保名单',
          wantedForm: 'electronic',
          deliveryWay: 'online',
        }),
        { channel: 'online' },
      )
      const outcome = await publishItem(t.deps, publisher, id)
      expect(outcome.published).toBe(false)
      if (!outcome.published) expect(outcome.findings.map((f) => f.kind)).toContain('known_person')
      await returnItem(t.deps, publisher, id, '含申请人姓名，请删除后重新提交')
      const returned = await findOwnItem(t.deps, author, id)
      expect(returned.status).toBe('draft')
      expect(findingsOf(returned).map((f) => f.kind)).toContain('known_person')
    } finally {
      await t.close()
    }
  })

  test('an attachment that fails the malware check, or could not be checked, is not stored and the refusal is audited', async () => {
    const t = await testEnv(kind, '2026-03-02T02:00:00Z')
    try {
      const { officeId } = await setUpRegion(t.deps)
      const author = staffOf((await buildStaff(t.deps, { roles: ['drafter'] })).id, officeId)
      const id = await createItem(t.deps, author, input(await newsColumn(t, officeId)))
      const eicar = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$' + 'EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*'
      await expect(addAttachment(t.deps, author, id, '通知.pdf', Buffer.from(`%PDF-1.4\n${eicar}`))).rejects.toThrow(
        /未通过病毒检查（EICAR-Test-File）/,
      )
      // A scanner that cannot run fails closed.
      const broken = { ...t.deps, config: { ...t.deps.config, malwareScanCommand: '/nonexistent/clamdscan' } }
      await expect(addAttachment(broken, author, id, '通知.pdf', Buffer.from('%PDF-1.4 通知'))).rejects.toThrow(
        /病毒检查未能完成/,
      )
      expect(await t.deps.db.selectFrom('attachments').selectAll().execute()).toEqual([])
      const audit = await searchAudit(t.deps, { action: 'file.malware' }, 1)
      expect(audit.map((r) => r.result)).toEqual(['failure', 'failure'])
    } finally {
      await t.close()
    }
  })

  test('an attachment must be of an allowed type by name and content; one with an ID number is found when attached and stops the 保密审查 level', async () => {
    const t = await testEnv(kind, '2026-03-02T02:00:00Z')
    try {
      const { officeId } = await setUpRegion(t.deps)
      const author = staffOf((await buildStaff(t.deps, { roles: ['drafter'] })).id, officeId)
      const publisher = staffOf((await buildStaff(t.deps, { roles: ['publisher'] })).id, officeId)
      const id = await createItem(t.deps, author, input(await newsColumn(t, officeId)))
      await expect(
        addAttachment(t.deps, author, id, '说明.pdf', Buffer.from('<script>alert(1)</script>')),
      ).rejects.toThrow(/内容须与扩展名一致/)
      await expect(addAttachment(t.deps, author, id, '程序.exe', Buffer.from('MZ'))).rejects.toThrow(/仅支持/)
      const { Document, Packer, Paragraph } = await import('docx')
      const bytes = await Packer.toBuffer(
        new Document({ sections: [{ children: [new Paragraph('联系人身份证号 11010519491231002X')] }] }),
      )
      await addAttachment(t.deps, author, id, '../../名单.docx', bytes)
      const [att] = await t.deps.db.selectFrom('attachments').selectAll().execute()
      expect(att!.file_name).toBe('名单.docx')
      expect(att!.storage_key).toMatch(/^\d{4}\/[0-9a-f]{32}$/)
      // The scan ran when the file was attached: the drafter sees the finding before submitting.
      const found = findingsOf(await findOwnItem(t.deps, author, id))
      expect(found.map((f) => [f.kind, f.surface])).toEqual([['id_number', 'attachment:名单.docx']])
      await expect(throughReview(t, author, id)).rejects.toThrow(/保密审查发现 1 处内容尚未处理/)
      await expect(publishItem(t.deps, publisher, id)).rejects.toThrow(/先审后发/)
    } finally {
      await t.close()
    }
  })

  test('a published 行政规范性文件 is counted in report section 二(一) as issued and in force; repealed later, it leaves the count', async () => {
    const t = await testEnv(kind, '2025-03-02T02:00:00Z')
    try {
      const { computeDraft, findOwnReport } = await import('../src/reports/report.service.ts')
      const { officeId } = await setUpRegion(t.deps)
      const author = staffOf((await buildStaff(t.deps, { roles: ['drafter'] })).id, officeId)
      const publisher = staffOf((await buildStaff(t.deps, { roles: ['publisher'] })).id, officeId)
      const policy = (await listColumns(t.deps.db, officeId)).find((c) => c.name === '政策文件')!.id
      const id = await createItem(
        t.deps,
        author,
        input(policy, {
          title: '某县政府信息公开工作办法',
          docKind: 'normative',
          writtenOn: '2024-03-01',
          formedOn: '2024-03-01',
        }),
      )
      await throughReview(t, author, id)
      await publishItem(t.deps, publisher, id)
      const office = staffOf(author.id, officeId)
      const r2024 = await findOwnReport(t.deps, office, await computeDraft(t.deps, office, 2024))
      expect(r2024.report.article20.normativeDocuments).toEqual({ issued: 1, repealed: 0, inForce: 1 })
      await expect(changeValidity(t.deps, publisher, id, 'repealed', '2024-01-01')).rejects.toThrow(/不能早于成文日期/)
      await changeValidity(t.deps, publisher, id, 'repealed', '2025-02-01')
      expect((await findOwnItem(t.deps, author, id)).status).toBe('published')
      const r2025 = await findOwnReport(t.deps, office, await computeDraft(t.deps, office, 2025))
      expect(r2025.report.article20.normativeDocuments).toEqual({ issued: 0, repealed: 1, inForce: 0 })
    } finally {
      await t.close()
    }
  })

  test("a scheduled item is published when its time comes, at the server's time, once", async () => {
    const t = await testEnv(kind, '2026-03-02T02:00:00Z')
    try {
      const { officeId } = await setUpRegion(t.deps)
      const author = staffOf((await buildStaff(t.deps, { roles: ['drafter'] })).id, officeId)
      const publisher = staffOf((await buildStaff(t.deps, { roles: ['publisher'] })).id, officeId)
      const id = await createItem(t.deps, author, input(await newsColumn(t, officeId)))
      await expect(schedulePublication(t.deps, publisher, id, '2026-03-02T03:00:00.000Z')).rejects.toThrow(/审核通过/)
      await throughReview(t, author, id)
      await expect(schedulePublication(t.deps, publisher, id, '2026-03-02T01:00:00.000Z')).rejects.toThrow(/晚于现在/)
      await schedulePublication(t.deps, publisher, id, '2026-03-02T03:00:00.000Z')
      expect(await publishDueItems(t.deps)).toBe(0)
      t.clock.advanceMinutes(61)
      expect(await publishDueItems(t.deps)).toBe(1)
      expect(await publishDueItems(t.deps)).toBe(0)
      const item = await findOwnItem(t.deps, author, id)
      expect([item.status, item.published_at, item.published_by, item.scheduled_at]).toEqual([
        'published',
        '2026-03-02T03:01:00.000Z',
        publisher.id,
        null,
      ])
    } finally {
      await t.close()
    }
  })

  test("another agency's item and columns are out of reach", async () => {
    const t = await testEnv(kind)
    try {
      const { officeId } = await setUpRegion(t.deps)
      const bureau = await createAgency(t.deps, systemActor(), {
        name: '垫江县司法局',
        creditCode: '11500231MB1530120U',
        level: '县级',
        kind: '政府部门',
        parentId: officeId,
      })
      const officeAuthor = staffOf((await buildStaff(t.deps, { roles: ['drafter'] })).id, officeId)
      const bureauAuthor = staffOf((await buildStaff(t.deps, { roles: ['drafter'], agencyId: bureau })).id, bureau)
      const id = await createItem(t.deps, officeAuthor, input(await newsColumn(t, officeId)))
      await expect(findOwnItem(t.deps, bureauAuthor, id)).rejects.toThrow(/不存在/)
      await expect(createItem(t.deps, bureauAuthor, input(await newsColumn(t, officeId)))).rejects.toThrow(/栏目不存在/)
    } finally {
      await t.close()
    }
  })
})
