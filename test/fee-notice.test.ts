import { describe, expect, test } from 'vitest'
import { concludeWithoutFee, notifyFee, recordFeeNoticeReceipt } from '../src/applications/application.service.ts'
import { findOwnApplication } from '../src/applications/application.policy.ts'
import { issueLetter, letterFile, listLetters } from '../src/applications/letter.service.ts'
import {
  readApplicationSettings,
  saveApplicationSettings,
  saveFeePayment,
} from '../src/applications/settings.service.ts'
import { listEvents } from '../src/applications/application.store.ts'
import type { StaffActor } from '../src/audit/audit.ts'
import { docxText, pdfText } from '../src/confidentiality/extract-text.ts'
import type { Deps } from '../src/deps.ts'
import { testApp } from './support/app.ts'
import { buildApplication, buildStaffActor } from './support/build-application.ts'
import { buildStaff, form, signIn } from './support/builders.ts'
import { databaseKinds, testEnv } from './support/test-deps.ts'
import type { TestEnv } from './support/test-deps.ts'

// The 收取信息处理费通知书 (条例第四十二条, 国办函〔2020〕109号) as the applicant receives it, read
// back from the DOCX and PDF: basis, standard, tier-by-tier amount, total, the agency's 缴纳方式 and
// the last day to pay — 20 working days from the day after the applicant receives the notice, the
// very date the clock enforces. Dates counted by hand on the 2026 notice (清明 4-04…4-06 off).

const at = (t: TestEnv, date: string) => t.clock.set(`${date}T02:00:00Z`)
const payment = '通过重庆市非税收入一般缴款书缴纳至垫江县财政局非税收入专户（开户银行：中国农业银行垫江支行）'

async function feeLetterText(deps: Deps, actor: StaffActor, id: number) {
  const application = await findOwnApplication(deps, actor, id)
  const letter = (await listLetters(deps, deps.db, application)).find((l) => l.kind === 'fee')!
  const squeeze = (s: string) => s.replace(/\s+/g, '')
  return {
    letterId: letter.id,
    texts: [
      squeeze(await docxText((await letterFile(deps, application, letter.id, 'docx', 'staff')).bytes)),
      squeeze(await pdfText((await letterFile(deps, application, letter.id, 'pdf', 'staff')).bytes)),
    ],
  }
}

describe.each(databaseKinds)('the fee notice on %s', (kind) => {
  test('国办函〔2020〕109号, 条例第四十二条: the notice states the basis, the standard, the amount tier by tier and in total, the 缴纳方式 and the exact last day to pay when delivered electronically', async () => {
    const t = await testEnv(kind)
    try {
      const handler = await buildStaffActor(t.deps, { roles: ['handler'] })
      const head = await buildStaffActor(t.deps, { roles: ['office_head'] })
      const { id } = await buildApplication(t.deps, { receivedOn: '2026-03-02' })
      at(t, '2026-03-10')
      const notice = { on: '2026-03-10', method: 'volume', pages: 250, delivery: 'electronic' } as const

      // Without the agency's 缴纳方式 no notice is drafted, and nothing is written.
      await expect(notifyFee(t.deps, handler, id, notice)).rejects.toMatchObject({
        code: 'invalid_input',
        message: expect.stringContaining('请公开办负责人先在“依申请公开设置”中填写信息处理费的缴纳方式'),
      })
      expect((await listEvents(t.deps.db, id)).map((e) => e.kind)).not.toContain('fee_notified')
      const app = await findOwnApplication(t.deps, handler, id)
      expect(await listLetters(t.deps, t.deps.db, app)).toEqual([])

      await saveFeePayment(t.deps, head, payment)
      expect(await notifyFee(t.deps, handler, id, notice)).toBe(4700)
      const { texts } = await feeLetterText(t.deps, handler, id)
      for (const text of texts) {
        expect(text).toContain('根据《中华人民共和国政府信息公开条例》第四十二条和《政府信息公开信息处理费管理办法》')
        expect(text).toContain('收费依据：您申请获取的政府信息共250页，超过30页，按量计收')
        expect(text).toContain(
          '30页以下（含30页）的，不收费；31—100页（含100页）的部分，收费标准为10元/页；101—200页（含200页）的部分，收费标准为20元/页；200页以上的部分，收费标准为40元/页',
        )
        expect(text).toContain(
          '计费明细：31至100页：70页×10元＝700元；101至200页：100页×20元＝2000元；201页以上：50页×40元＝2000元。应缴纳信息处理费合计人民币4700元。',
        )
        expect(text).toContain(`缴纳方式：${payment}。`)
        // Sent and received 3-10: 3-11…3-13 (3), 3-16…3-20 (8), 3-23…3-27 (13), 3-30…4-03 (18), 4-07, 4-08 (20).
        expect(text).toContain('请于2026年4月8日前（含当日）缴纳')
      }
      const page = await findOwnApplication(t.deps, handler, id)
      expect(page.fee_amount).toBe(4700)
    } finally {
      await t.close()
    }
  })

  test('国办函〔2020〕109号 按件计收: the notice gives the count of the applicant’s applications in the natural month and the tier of this one', async () => {
    const t = await testEnv(kind)
    try {
      const handler = await buildStaffActor(t.deps, { roles: ['handler'] })
      await saveFeePayment(t.deps, await buildStaffActor(t.deps, { roles: ['office_head'] }), payment)
      let last = 0
      for (let n = 1; n <= 11; n++)
        last = (
          await buildApplication(t.deps, {
            receivedOn: '2026-03-02',
            applicant: { infoDescription: `桂溪街道第${n}批老旧小区改造资金明细` },
          })
        ).id
      expect(await notifyFee(t.deps, handler, last, { on: '2026-03-02', method: 'piece', delivery: 'in_person' })).toBe(
        100,
      )
      const { texts } = await feeLetterText(t.deps, handler, last)
      for (const text of texts) {
        expect(text).toContain(
          '收费依据：本申请为您在2026年3月（自然月）内向本机关提出的第11件政府信息公开申请，超过10件，按件计收',
        )
        expect(text).toContain('11—30件（含30件）的部分，收费标准为100元/件；30件以上的部分，以10件为一档')
        expect(text).toContain('计费明细：第11至30件：1件×100元＝100元。应缴纳信息处理费合计人民币100元。')
        // Handed over 3-02: 3-03…3-06 (4), …, 3-30 (20).
        expect(text).toContain('请于2026年3月30日前（含当日）缴纳')
      }
    } finally {
      await t.close()
    }
  })

  test('国办函〔2020〕109号: a posted notice counts from its receipt — the letter gives the period, OTHER_NO_FEE is refused until the receipt is recorded and the 20 working days after it have run out', async () => {
    const t = await testApp(kind)
    try {
      const handler = await buildStaffActor(t.deps, { roles: ['handler'] })
      await saveFeePayment(t.deps, await buildStaffActor(t.deps, { roles: ['office_head'] }), payment)
      const { id } = await buildApplication(t.deps, { receivedOn: '2026-03-02' })
      at(t, '2026-03-10')
      await notifyFee(t.deps, handler, id, { on: '2026-03-10', method: 'volume', pages: 50, delivery: 'post' })
      const { texts } = await feeLetterText(t.deps, handler, id)
      for (const text of texts) {
        expect(text).toContain('请自收到本通知书之次日起20个工作日内缴纳')
        expect(text).not.toContain('请于')
      }
      at(t, '2026-04-20')
      await expect(concludeWithoutFee(t.deps, handler, id, { on: '2026-04-20' })).rejects.toThrow(
        /申请人收到收费通知的日期尚未记录/,
      )
      expect((await findOwnApplication(t.deps, handler, id)).status).toBe('open')

      // Recorded on the application page: received 3-13, so pay by 4-13 (3-16…3-20 (5) … 4-07…4-10 (19), 4-13).
      const staff = await signIn(t.app, await buildStaff(t.deps, { roles: ['handler'] }))
      const headers = { cookie: staff.cookie, 'content-type': 'application/x-www-form-urlencoded' }
      const before = await t.app.inject({ url: `/console/applications/${id}`, headers: { cookie: staff.cookie } })
      expect(before.body).toContain('记录收费通知送达')
      const recorded = await t.app.inject({
        method: 'POST',
        url: `/console/applications/${id}/fee-receipt`,
        headers,
        payload: form({ _csrf: staff.csrf, on: '2026-03-13' }),
      })
      expect(recorded.statusCode, recorded.body).toBe(303)
      const page = await t.app.inject({ url: `/console/applications/${id}`, headers: { cookie: staff.cookie } })
      expect(page.body).toContain('缴费期限至2026年4月13日')
      expect(page.body).not.toContain('记录申请人收到日期')
      await expect(recordFeeNoticeReceipt(t.deps, handler, id, { on: '2026-03-14' })).rejects.toThrow(
        /没有待记录送达的收费通知/,
      )

      at(t, '2026-04-13')
      await expect(concludeWithoutFee(t.deps, handler, id, { on: '2026-04-13' })).rejects.toThrow(
        /缴费期限（至2026年4月13日/,
      )
      at(t, '2026-04-14')
      await concludeWithoutFee(t.deps, handler, id, { on: '2026-04-14' })
      expect((await findOwnApplication(t.deps, handler, id)).outcome).toBe('OTHER_NO_FEE')
    } finally {
      await t.close()
    }
  })

  test('国办函〔2020〕109号: the 缴纳方式 is set on the application settings page, and a fee notice is not issued while it is empty', async () => {
    const t = await testApp(kind)
    try {
      const account = await buildStaff(t.deps, { roles: ['office_head'] })
      const head = await signIn(t.app, account)
      const page = await t.app.inject({ url: '/console/request-settings', headers: { cookie: head.cookie } })
      expect(page.body).toContain('信息处理费缴纳方式')
      const saved = await t.app.inject({
        method: 'POST',
        url: '/console/request-settings',
        headers: { cookie: head.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: form({ _csrf: head.csrf, frequentThreshold: '10', feePayment: payment }),
      })
      expect(saved.statusCode, saved.body).toBe(303)
      const actor = await buildStaffActor(t.deps, { roles: ['office_head'] })
      expect((await readApplicationSettings(t.deps, actor)).feePayment).toBe(payment)

      const { id } = await buildApplication(t.deps, { receivedOn: '2026-03-02' })
      await notifyFee(t.deps, actor, id, { on: '2026-03-02', method: 'volume', pages: 40, delivery: 'electronic' })
      const { letterId, texts } = await feeLetterText(t.deps, actor, id)
      for (const text of texts) expect(text).toContain(`缴纳方式：${payment}。`)
      await saveApplicationSettings(t.deps, actor, {
        ...(await readApplicationSettings(t.deps, actor)),
        feePayment: '',
      })
      await expect(issueLetter(t.deps, actor, id, letterId)).rejects.toThrow(/收费通知书须写明缴纳方式/)
      const app = await findOwnApplication(t.deps, actor, id)
      expect((await listLetters(t.deps, t.deps.db, app)).find((l) => l.id === letterId)!.status).toBe('draft')
      await saveFeePayment(t.deps, actor, payment)
      await issueLetter(t.deps, actor, id, letterId)
      expect((await listLetters(t.deps, t.deps.db, app)).find((l) => l.id === letterId)!.status).toBe('issued')
    } finally {
      await t.close()
    }
  })
})
