import { describe, expect, test } from 'vitest'
import { findOwnApplication } from '../src/applications/application.policy.ts'
import { takeApplication } from '../src/applications/assignment.service.ts'
import { sendConsultation } from '../src/applications/application.service.ts'
import { searchAudit } from '../src/audit/audit.service.ts'
import { returnItem, reviewItem, submitItem } from '../src/disclosures/item-review.service.ts'
import { buildItem } from './support/build-item.ts'
import { buildApplication, buildStaffActor } from './support/build-application.ts'
import { buildStaff, form, signIn } from './support/builders.ts'
import { testApp } from './support/app.ts'
import type { TestApp } from './support/app.ts'
import { databaseKinds } from './support/test-deps.ts'

// The 工作台 (issue #12): each role lands on its to-do list — counts, the first objects, links — and a handler takes
// (领办) an unassigned application from it.

const post = (cookie: string) => ({ cookie, 'content-type': 'application/x-www-form-urlencoded' })
const checks = ['political', 'legal', 'confidentiality', 'wording', 'opinionRisk'] as const

/** The text of one to-do card on the 工作台, or '' when the card is not shown. */
async function card(t: TestApp, cookie: string, label: string): Promise<string> {
  const page = await t.app.inject({ url: '/console', headers: { cookie } })
  const cards = page.body.split('<li class="card').filter((c) => c.includes(`${label}<strong class="count">`))
  return cards[0]?.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ') ?? ''
}

describe.each(databaseKinds)('the 工作台 on %s', (kind) => {
  test('a handler sees the unassigned application, takes it from the 工作台, and it becomes theirs; another handler cannot take it', async () => {
    const t = await testApp(kind)
    try {
      const { id, number } = await buildApplication(t.deps)
      const handlerAccount = await buildStaff(t.deps, { roles: ['handler'] })
      const handler = await signIn(t.app, handlerAccount)
      expect(await card(t, handler.cookie, '待领办的申请')).toContain(number)
      const taken = await t.app.inject({
        method: 'POST',
        url: `/console/applications/${id}/take`,
        headers: post(handler.cookie),
        payload: form({ _csrf: handler.csrf, back: 'console' }),
      })
      expect([taken.statusCode, taken.headers.location]).toEqual([303, '/console?taken=1'])
      expect(await card(t, handler.cookie, '待领办的申请')).toBe('')
      expect(await card(t, handler.cookie, '我办理的申请')).toContain(number)
      const page = await t.app.inject({ url: `/console/applications/${id}`, headers: { cookie: handler.cookie } })
      expect(page.body).toMatch(/<dd id="handler">本人<\/dd>/)
      const other = await buildStaffActor(t.deps, { roles: ['handler'] })
      await expect(takeApplication(t.deps, other, id)).rejects.toThrow(/已由其他办理人领办/)
      const drafter = await buildStaffActor(t.deps, { roles: ['drafter'] })
      await expect(takeApplication(t.deps, drafter, id)).rejects.toThrow(/依申请公开办理人/)
      const app = await findOwnApplication(t.deps, other, id)
      expect(app.handler_id).toBe(handlerAccount.id)
      expect((await searchAudit(t.deps, { action: 'application.take' }, 1)).length).toBe(1)
    } finally {
      await t.close()
    }
  })

  test('an application past its due date is listed as 已逾期 for the office head; one paused for a consultation is not (arts. 32, 34)', async () => {
    const t = await testApp(kind)
    try {
      const { number } = await buildApplication(t.deps, { receivedOn: '2026-03-02' })
      const paused = await buildApplication(t.deps, { receivedOn: '2026-03-02' })
      const handler = await buildStaffActor(t.deps, { roles: ['handler'] })
      t.clock.set('2026-03-20T02:00:00Z')
      await sendConsultation(t.deps, handler, paused.id, { on: '2026-03-20', party: 'thirdParty', to: '某公司' })
      t.clock.set('2026-04-15T02:00:00Z')
      const head = await signIn(t.app, await buildStaff(t.deps, { roles: ['office_head'] }))
      expect(await card(t, head.cookie, '已逾期')).toContain(number)
      expect(await card(t, head.cookie, '已逾期')).toContain('2026-03-30 到期')
      expect(await card(t, head.cookie, '已逾期')).not.toContain(paused.number)
      expect(await card(t, head.cookie, '征求意见或等待缴费中')).toContain(paused.number)
    } finally {
      await t.close()
    }
  })

  test('each reviewer sees only what waits for their level; a drafter sees the item returned to them with its reason on the page', async () => {
    const t = await testApp(kind)
    try {
      const drafterAccount = await buildStaff(t.deps, { roles: ['drafter'] })
      const drafterActor = { ...(await buildStaffActor(t.deps, { roles: ['drafter'] })), id: drafterAccount.id }
      const { id } = await buildItem(t.deps, { title: '关于开展政务公开培训的通知', until: 'draft' })
      // The built draft belongs to another drafter; this one writes and submits their own.
      const own = await buildItem(t.deps, { title: '县司法局法治宣传活动', until: 'draft' })
      await t.deps.db.updateTable('items').set({ created_by: drafterAccount.id }).where('id', '=', own.id).execute()
      await submitItem(t.deps, drafterActor, own.id)
      const first = await buildStaff(t.deps, { roles: ['reviewer'], reviewLevel: 1 })
      const second = await buildStaff(t.deps, { roles: ['reviewer'], reviewLevel: 2 })
      const firstSession = await signIn(t.app, first)
      const secondSession = await signIn(t.app, second)
      expect(await card(t, firstSession.cookie, '待我审核（初审）')).toContain('县司法局法治宣传活动')
      expect(await card(t, secondSession.cookie, '待我审核（复审）')).toBe('')
      const firstActor = { ...drafterActor, id: first.id, roles: ['reviewer'] }
      await reviewItem(t.deps, firstActor, 1, own.id, { decision: 'approved', checks, reason: null })
      expect(await card(t, firstSession.cookie, '待我审核（初审）')).toBe('')
      expect(await card(t, secondSession.cookie, '待我审核（复审）')).toContain('县司法局法治宣传活动')
      await returnItem(t.deps, { ...drafterActor, id: second.id, roles: ['reviewer'] }, own.id, '请补充活动时间')
      const drafter = await signIn(t.app, drafterAccount)
      expect(await card(t, drafter.cookie, '退回给我修改的信息')).toContain('县司法局法治宣传活动')
      expect(await card(t, drafter.cookie, '退回给我修改的信息')).not.toContain('关于开展政务公开培训的通知')
      expect(id).not.toBe(own.id)
    } finally {
      await t.close()
    }
  })

  test("in December the 系统管理员 is asked to record next year's holiday notice; a drafter sees last year's report and its deadline", async () => {
    const t = await testApp(kind)
    try {
      t.clock.set('2026-12-05T02:00:00Z')
      const admin = await signIn(t.app, await buildStaff(t.deps, { roles: ['sysadmin'] }))
      expect(await card(t, admin.cookie, '待录入的节假日安排')).toContain('2027年放假安排')
      // Column health lists the columns to act on; generated ones (指南, 目录, 年报) are never among them.
      const health = await card(
        t,
        (await signIn(t.app, await buildStaff(t.deps, { roles: ['office_head'] }))).cookie,
        '栏目健康问题',
      )
      expect(health).toContain('空白')
      expect(health).not.toMatch(/政府信息公开指南|政府信息公开目录|政府信息公开年报/)
      const drafter = await signIn(t.app, await buildStaff(t.deps, { roles: ['drafter'] }))
      // The office is the supervising office, a department: its own report is due 1月31日 (条例 art. 49).
      expect(await card(t, drafter.cookie, '2025年度报告（已超过截止 2026-01-31）')).toContain('尚未开始')
    } finally {
      await t.close()
    }
  })
})
