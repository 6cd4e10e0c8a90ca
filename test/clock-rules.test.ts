import { describe, expect, test } from 'vitest'
import {
  approveExtension,
  concludeWithoutFee,
  notifyFee,
  requestCorrection,
  sendConsultation,
  setDelay,
} from '../src/applications/application.service.ts'
import { findOwnApplication } from '../src/applications/application.policy.ts'
import { requestReasons } from '../src/applications/decision.service.ts'
import { issueLetter, listLetters } from '../src/applications/letter.service.ts'
import { saveFeePayment } from '../src/applications/settings.service.ts'
import { listEvents } from '../src/applications/application.store.ts'
import { agencyQueue, regionQueue } from '../src/applications/queue.service.ts'
import { regionOverview } from '../src/region/region.service.ts'
import { testApp } from './support/app.ts'
import { buildApplication, buildStaffActor } from './support/build-application.ts'
import { buildStaff, form, signIn } from './support/builders.ts'
import { databaseKinds, testEnv } from './support/test-deps.ts'
import type { TestEnv } from './support/test-deps.ts'

// The console refuses the steps `gongkai clock` reports as problems (clock-review.ts). Every date is
// counted by hand on the 2026 notice. Received 2026-03-02 (Mon), no holiday in March: 3-3…3-6 (4),
// 3-9…3-13 (9), 3-16…3-20 (14), 3-23…3-27 (19), 3-30 (20): due 2026-03-30.

const at = (t: TestEnv, date: string) => t.clock.set(`${date}T02:00:00Z`)
const reason = '申请内容较多，需要逐项检索'

async function setUp(kind: (typeof databaseKinds)[number]) {
  const t = await testEnv(kind, '2026-03-02T02:00:00Z')
  const handler = await buildStaffActor(t.deps, { roles: ['handler'] })
  const head = await buildStaffActor(t.deps, { roles: ['office_head'] })
  let n = 0
  const application = async () =>
    (await buildApplication(t.deps, { applicant: { infoDescription: `桂溪街道第${++n}批老旧小区改造资金明细` } })).id
  const dueOf = async (id: number) => (await findOwnApplication(t.deps, handler, id)).due_on
  await saveFeePayment(t.deps, head, '通过政府非税收入统一缴款平台缴纳')
  return { t, handler, head, application, dueOf }
}

describe.each(databaseKinds)('the procedural rules of the clock on %s', (kind) => {
  test('art. 30: a 补正 asked for after the reply period has run out is refused; the application stays overdue', async () => {
    const { t, handler, application, dueOf } = await setUp(kind)
    try {
      const id = await application()
      at(t, '2026-04-01')
      await expect(
        requestCorrection(t.deps, handler, id, { on: '2026-04-01', correctBy: '2026-04-15', what: '请写明年份' }),
      ).rejects.toThrow(/答复期限已于2026年3月30日届满，不能再要求补正/)
      expect(await dueOf(id)).toBe('2026-03-30')
      expect((await agencyQueue(t.deps, handler, 'overdue')).list.map((r) => r.id)).toEqual([id])
    } finally {
      await t.close()
    }
  })

  test('109号: the fee is payable until 20 working days after the applicant received the notice; no earlier OTHER_NO_FEE', async () => {
    const { t, handler, application } = await setUp(kind)
    try {
      const id = await application()
      const late = await application()
      // Sent 3-10 by post, received 3-13: 3-16…3-20 (5), 3-23…3-27 (10), 3-30…4-03 (15), 清明 4-4…4-6,
      // 4-07…4-10 (19), 4-13 (20).
      at(t, '2026-03-13')
      await notifyFee(t.deps, handler, id, {
        on: '2026-03-10',
        method: 'volume',
        pages: 50,
        delivery: 'post',
        receivedByApplicantOn: '2026-03-13',
      })
      for (const day of ['2026-04-09', '2026-04-13']) {
        at(t, day)
        await expect(concludeWithoutFee(t.deps, handler, id, { on: day })).rejects.toThrow(
          /缴费期限（至2026年4月13日，自申请人收到收费通知次日起 20 个工作日，国办函〔2020〕109号）尚未届满/,
        )
      }
      at(t, '2026-04-14')
      await concludeWithoutFee(t.deps, handler, id, { on: '2026-04-14' })
      expect((await findOwnApplication(t.deps, handler, id)).outcome).toBe('OTHER_NO_FEE')

      // A fee notice after the reply period (due 3-30) has run out is refused.
      await expect(notifyFee(t.deps, handler, late, { on: '2026-03-31', method: 'volume', pages: 50 })).rejects.toThrow(
        /收费通知须在答复期限（2026年3月30日）内发出/,
      )
    } finally {
      await t.close()
    }
  })

  test('条例第三十三条第二款: approving an extension drafts its notice; the due date moves only when that 延长答复期限告知书 is issued within the reply period, on the day it is issued', async () => {
    const { t, head, application, dueOf } = await setUp(kind)
    try {
      const late = await application()
      const onTime = await application()
      const extensionLetter = async (id: number) =>
        (await listLetters(t.deps, t.deps.db, await findOwnApplication(t.deps, head, id))).find(
          (l) => l.kind === 'extension',
        )!
      at(t, '2026-03-30')
      await approveExtension(t.deps, head, late, { on: '2026-03-30', days: 20, reason })
      await approveExtension(t.deps, head, onTime, { on: '2026-03-30', days: 20, reason })
      // Approval alone does not move the due date.
      expect([await dueOf(late), await dueOf(onTime)]).toEqual(['2026-03-30', '2026-03-30'])
      // The draft already announces the extended date: 3-31…4-03 (4), 清明, 4-07…4-10 (8), 4-13…4-17 (13),
      // 4-20…4-24 (18), 4-27, 4-28 (20).
      expect((await extensionLetter(onTime)).body).toContain('至2026年4月28日')

      // Issued on the due date: effective, and the issue day is the notice day the clock counts.
      await issueLetter(t.deps, head, onTime, (await extensionLetter(onTime)).id)
      expect(await dueOf(onTime)).toBe('2026-04-28')
      expect((await listEvents(t.deps.db, onTime)).find((e) => e.kind === 'extension_notified')?.on).toBe('2026-03-30')

      // Issued after the reply period: refused with the clock's message; the due date stays.
      at(t, '2026-04-02')
      const letter = await extensionLetter(late)
      await expect(issueLetter(t.deps, head, late, letter.id)).rejects.toMatchObject({
        code: 'deadline_passed',
        message: expect.stringContaining('延期告知书须在答复期限（2026年3月30日）届满前发出，逾期告知的延期不发生效力'),
      })
      expect(await dueOf(late)).toBe('2026-03-30')
      expect((await extensionLetter(late)).status).toBe('draft')
    } finally {
      await t.close()
    }
  })

  test('art. 35: a delayed reply period is refused until the applicant was asked for the reasons', async () => {
    const { t, handler, head, application, dueOf } = await setUp(kind)
    try {
      const id = await application()
      at(t, '2026-03-05')
      await expect(setDelay(t.deps, head, id, { on: '2026-03-05', until: '2026-05-29', reason })).rejects.toThrow(
        /须先要求申请人说明理由（条例第三十五条）/,
      )
      await requestReasons(t.deps, handler, id, { on: '2026-03-04' })
      await setDelay(t.deps, head, id, { on: '2026-03-05', until: '2026-05-29', reason })
      expect(await dueOf(id)).toBe('2026-05-29')
    } finally {
      await t.close()
    }
  })

  test('arts. 32, 34: an application with an unanswered consultation is paused, not overdue, in every queue', async () => {
    const { t, handler, application } = await setUp(kind)
    try {
      const consulted = await application()
      const forgotten = await application()
      at(t, '2026-03-20')
      await sendConsultation(t.deps, handler, consulted, { on: '2026-03-20', party: 'thirdParty', to: '某物业公司' })
      // On 4-02, unanswered: counted to 3-20 (14); 3-23…4-02 paused; 4-03 (15), 清明, 4-07…4-10 (19), 4-13 (20).
      at(t, '2026-04-02')
      const overdue = (await agencyQueue(t.deps, handler, 'overdue')).list
      expect(overdue.map((r) => r.id)).toEqual([forgotten])
      const all = (await agencyQueue(t.deps, handler, 'all')).list.find((r) => r.id === consulted)!
      expect([all.due_on, all.paused_since]).toEqual(['2026-04-13', '2026-03-20'])
      const region = await regionQueue(t.deps)
      expect(region.overdue.map((r) => r.id)).toEqual([forgotten])
      expect(region.agencies.reduce((n, a) => n + a.overdue, 0)).toBe(1)
      expect((await regionOverview(t.deps)).reduce((n, a) => n + a.overdue, 0)).toBe(1)
    } finally {
      await t.close()
    }
  })

  test("条例第三十三条第二款, 109号: the console's extension takes effect when its letter is issued, late issue refused; the fee form takes the delivery and the receipt", async () => {
    const t = await testApp(kind)
    try {
      const extended = await buildApplication(t.deps, { applicant: { infoDescription: '澄溪镇农村公路养护资金' } })
      const charged = await buildApplication(t.deps, { applicant: { infoDescription: '澄溪镇农村危房改造名单' } })
      const headActor = await buildStaffActor(t.deps, { roles: ['office_head'] })
      await saveFeePayment(t.deps, headActor, '通过政府非税收入统一缴款平台缴纳')
      at(t, '2026-03-30')
      const head = await signIn(t.app, await buildStaff(t.deps, { roles: ['office_head'] }))
      const headers = { cookie: head.cookie, 'content-type': 'application/x-www-form-urlencoded' }
      const approved = await t.app.inject({
        method: 'POST',
        url: `/console/applications/${extended.id}/extension`,
        headers,
        payload: form({ _csrf: head.csrf, on: '2026-03-30', days: '20', reason }),
      })
      expect(approved.statusCode, approved.body).toBe(303)
      const extensionPage = await t.app.inject({
        url: `/console/applications/${extended.id}`,
        headers: { cookie: head.cookie },
      })
      expect(extensionPage.body).not.toContain('告知申请人日期')
      expect(extensionPage.body).toContain('<dd id="due">2026-03-30</dd>')
      const letter = (
        await listLetters(t.deps, t.deps.db, await findOwnApplication(t.deps, headActor, extended.id))
      ).find((l) => l.kind === 'extension')!
      at(t, '2026-04-02')
      const later = await signIn(t.app, await buildStaff(t.deps, { roles: ['office_head'] }))
      const late = await t.app.inject({
        method: 'POST',
        url: `/console/applications/${extended.id}/letters/${letter.id}`,
        headers: { cookie: later.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: form({ _csrf: later.csrf, body: letter.body, do: 'issue' }),
      })
      expect(late.statusCode, late.body.replace(/<[^>]+>/g, ' ').slice(0, 3000)).toBe(409)
      expect(late.body).toContain('延期告知书须在答复期限（2026年3月30日）届满前发出')

      const noDelivery = await t.app.inject({
        method: 'POST',
        url: `/console/applications/${charged.id}/fee`,
        headers: { cookie: later.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: form({ _csrf: later.csrf, on: '2026-03-10', method: 'volume', pages: '50' }),
      })
      expect(noDelivery.statusCode).toBe(422)
      expect(noDelivery.body).toContain('请选择送达方式')
      const fee = await t.app.inject({
        method: 'POST',
        url: `/console/applications/${charged.id}/fee`,
        headers: { cookie: later.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: form({
          _csrf: later.csrf,
          on: '2026-03-10',
          method: 'volume',
          pages: '50',
          delivery: 'post',
          receivedByApplicantOn: '2026-03-13',
        }),
      })
      expect(fee.statusCode, fee.body).toBe(303)
      const page = await t.app.inject({ url: `/console/applications/${charged.id}`, headers: { cookie: later.cookie } })
      // 3-16…3-20 (5), 3-23…3-27 (10), 3-30…4-03 (15), 清明, 4-07…4-10 (19), 4-13 (20).
      expect(page.body).toContain('缴费期限至2026年4月13日')
    } finally {
      await t.close()
    }
  })
})
