import { describe, expect, test } from 'vitest'
import { approveExtension, notifyFee, requestCorrection } from '../src/applications/application.service.ts'
import { findOwnApplication } from '../src/applications/application.policy.ts'
import { purgeExpiredPersonalData } from '../src/applications/applicant.service.ts'
import { decideApplication } from '../src/applications/decision.service.ts'
import { saveFeePayment } from '../src/applications/settings.service.ts'
import { issueLetter, listLetters } from '../src/applications/letter.service.ts'
import { systemActor } from '../src/audit/audit.ts'
import type { StaffActor } from '../src/audit/audit.ts'
import type { Deps } from '../src/deps.ts'
import { sendDueMail, startMailWorker } from '../src/notify/mail-worker.ts'
import { mailNotices } from '../src/notify/outbox.service.ts'
import { writeSetting } from '../src/settings/settings.store.ts'
import { buildApp } from '../src/web/app.ts'
import { buildApplication, buildStaffActor } from './support/build-application.ts'
import { buildStaff, setUpRegion, signIn } from './support/builders.ts'
import { startSmtpServer } from './support/smtp-server.ts'
import type { TestSmtpServer } from './support/smtp-server.ts'
import { databaseKinds, testEnv } from './support/test-deps.ts'
import type { TestEnv } from './support/test-deps.ts'

// E-mail to the applicant (issue #11), read from a real SMTP server on 127.0.0.1: each step the
// applicant must know of arrives with the number and the tracking link and nothing personal; a
// refused message waits and is tried again; the handler sees what happened; without SMTP_URL
// nothing is queued and the console says so.

const publicUrl = 'https://gk.example.gov.cn'
const applicant = {
  name: '李明华',
  email: 'liminghua@example.cn',
  infoDescription: '2025年桂溪街道老旧小区改造项目的资金使用明细',
}

/** The test's deps with e-mail configured to go through `smtp`. */
const withSmtp = (t: TestEnv, smtp: TestSmtpServer): Deps => ({
  ...t.deps,
  config: Object.freeze({
    ...t.deps.config,
    smtpUrl: smtp.url,
    publicUrl,
    mailFrom: '垫江县政务公开 <gk@example.gov.cn>',
  }),
})

async function issueDraft(deps: Deps, actor: StaffActor, id: number, kind: string) {
  const application = await findOwnApplication(deps, actor, id)
  const letter = (await listLetters(deps, deps.db, application)).find((l) => l.kind === kind && l.status === 'draft')!
  await issueLetter(deps, actor, id, letter.id)
}

const expectNothingPersonal = (text: string) => {
  for (const personal of [
    applicant.name,
    '李',
    applicant.infoDescription,
    '老旧小区',
    '11010519491231002X',
    '13912345678',
  ])
    expect(text).not.toContain(personal)
}

describe.each(databaseKinds)('e-mail to the applicant on %s', (kind) => {
  test('issue #11: received, 补正 requested (条例第三十条), extension (第三十三条), fee notice (国办函〔2020〕109号) and decision each arrive by e-mail with the number and the /track link, in Chinese, without the name, the request or the letter', async () => {
    const t = await testEnv(kind)
    const smtp = await startSmtpServer()
    try {
      const deps = withSmtp(t, smtp)
      const handler = await buildStaffActor(deps, { roles: ['handler'] })
      const head = await buildStaffActor(deps, { roles: ['office_head'] })
      const { id, number } = await buildApplication(deps, { applicant })
      expect(await sendDueMail(deps)).toBe(1)
      await requestCorrection(deps, handler, id, { on: '2026-03-02', correctBy: '2026-03-16', what: '请写明项目名称' })
      // A draft is not yet the applicant's: nothing is queued until the letter is issued.
      expect(await sendDueMail(deps)).toBe(0)
      await issueDraft(deps, handler, id, 'correction')
      await sendDueMail(deps)
      // Another application, to go through extension, fee and decision.
      const other = await buildApplication(deps, { applicant })
      await approveExtension(deps, head, other.id, { on: '2026-03-02', days: 10, reason: '需调取档案' })
      await issueDraft(deps, head, other.id, 'extension')
      await saveFeePayment(deps, head, '转账至县财政局非税收入专户')
      await notifyFee(deps, head, other.id, { on: '2026-03-02', method: 'volume', pages: 200 })
      await issueDraft(deps, head, other.id, 'fee')
      await decideApplication(deps, head, other.id, { on: '2026-03-02', outcome: 'GRANTED', replyType: '2', basis: '' })
      await issueDraft(deps, head, other.id, 'decision')
      await sendDueMail(deps)

      const subjects = smtp.received.map((m) => m.subject)
      expect(subjects).toEqual([
        `您的政府信息公开申请已收到（申请编号 ${number}）`,
        `您的政府信息公开申请需要补正（申请编号 ${number}）`,
        `您的政府信息公开申请已收到（申请编号 ${other.number}）`,
        `您的政府信息公开申请已延长答复期限（申请编号 ${other.number}）`,
        `您的政府信息公开申请需缴纳信息处理费（申请编号 ${other.number}）`,
        `您的政府信息公开申请已作出答复（申请编号 ${other.number}）`,
      ])
      for (const mail of smtp.received) {
        expect(mail.to).toEqual([applicant.email])
        expect(mail.from).toBe('gk@example.gov.cn')
        expect(mail.text).toMatch(/申请编号：YSQ\d{14}/)
        expect(mail.text).toContain(`查询页面：${publicUrl}/track?number=YSQ`)
        expectNothingPersonal(mail.subject)
        expectNothingPersonal(mail.text)
        // Never the letter itself: no attachment, a single text part.
        expect(mail.raw).not.toMatch(/multipart|attachment|application\/pdf/i)
      }
      expect(smtp.received[1]!.text).toContain('《补正申请告知书》')
      expect(smtp.received[1]!.text).toContain(`${publicUrl}/track?number=${number}`)
      expect(smtp.received[1]!.text).not.toContain('请写明项目名称')
      expect(smtp.received[5]!.text).toContain('已对您的申请作出答复')
      const notices = await mailNotices(deps, await findOwnApplication(deps, head, other.id))
      expect(notices.messages.map((m) => [m.title, m.status, m.attempts])).toEqual([
        ['申请已收到', 'sent', 1],
        ['延期答复告知书', 'sent', 1],
        ['收取信息处理费通知书', 'sent', 1],
        ['政府信息公开申请答复书', 'sent', 1],
      ])
    } finally {
      await smtp.close()
      await t.close()
    }
  })

  test('issue #11: an applicant who gave no e-mail address is sent nothing', async () => {
    const t = await testEnv(kind)
    const smtp = await startSmtpServer()
    try {
      const deps = withSmtp(t, smtp)
      const handler = await buildStaffActor(deps, { roles: ['handler'] })
      const { id } = await buildApplication(deps)
      expect(await sendDueMail(deps)).toBe(0)
      const notices = await mailNotices(deps, await findOwnApplication(deps, handler, id))
      expect(notices).toEqual({ configured: true, hasAddress: false, messages: [] })
      expect(smtp.received).toEqual([])
    } finally {
      await smtp.close()
      await t.close()
    }
  })

  test('issue #11: a message the server refuses stays queued with its attempts and the error in plain words (the address masked), is sent on the retry after the 1-minute backoff, and after six refusals is 发送失败 on the console page', async () => {
    const t = await testEnv(kind)
    const smtp = await startSmtpServer()
    const deps = withSmtp(t, smtp)
    const handler = await buildStaffActor(deps, { roles: ['handler'] })
    const app = await buildApp(deps, { logger: false })
    try {
      const handlerAccount = await buildStaff(deps, { roles: ['handler'] })
      smtp.refuseWith = { code: 450, message: 'Mailbox busy, try later' }
      const first = await buildApplication(deps, { applicant })
      expect(await sendDueMail(deps)).toBe(1)
      let notice = (await mailNotices(deps, await findOwnApplication(deps, handler, first.id))).messages[0]!
      expect(notice).toMatchObject({ status: 'queued', attempts: 1 })
      expect(notice.lastError).toContain('邮件服务器暂时无法接收')
      expect(notice.lastError).toContain('Mailbox busy, try later')
      expect(smtp.received).toEqual([])
      // Not before its time: the next try is one minute later.
      smtp.refuseWith = undefined
      t.clock.advanceMinutes(0.5)
      expect(await sendDueMail(deps)).toBe(0)
      t.clock.advanceMinutes(0.5)
      expect(await sendDueMail(deps)).toBe(1)
      notice = (await mailNotices(deps, await findOwnApplication(deps, handler, first.id))).messages[0]!
      expect(notice).toMatchObject({ status: 'sent', attempts: 2, lastError: null })
      expect(smtp.received.map((m) => m.subject)).toEqual([`您的政府信息公开申请已收到（申请编号 ${first.number}）`])

      // A server that keeps refusing: tries after 1, 5, 30, 120 and 360 minutes, then no more.
      smtp.refuseWith = { code: 550, message: `<${applicant.email}>: No such user here` }
      const second = await buildApplication(deps, { applicant })
      await sendDueMail(deps)
      for (const minutes of [1, 5, 30, 120, 360]) {
        t.clock.advanceMinutes(minutes - 0.5)
        expect(await sendDueMail(deps)).toBe(0)
        t.clock.advanceMinutes(0.5)
        expect(await sendDueMail(deps)).toBe(1)
      }
      t.clock.advanceDays(2)
      expect(await sendDueMail(deps)).toBe(0)
      notice = (await mailNotices(deps, await findOwnApplication(deps, handler, second.id))).messages[0]!
      expect(notice).toMatchObject({ status: 'failed', attempts: 6 })

      const browser = await signIn(app, handlerAccount)
      const page = await app.inject({ url: `/console/applications/${second.id}`, headers: { cookie: browser.cookie } })
      expect(page.statusCode).toBe(200)
      expect(page.body).toContain('邮件通知')
      expect(page.body).toContain('发送失败')
      expect(page.body).toContain('No such user here')
      // The server quoted the address; staff see it masked like the rest of the applicant's data.
      expect(page.body).toContain('l***@example.cn')
      expect(page.body).not.toContain(applicant.email)
      expect(page.body).not.toContain('未配置邮件服务器')
      const sent = await app.inject({ url: `/console/applications/${first.id}`, headers: { cookie: browser.cookie } })
      expect(sent.body).toContain('已发送')
    } finally {
      await app.close()
      await smtp.close()
      await t.close()
    }
  })

  test('issue #11: two workers sending at once deliver each message once', async () => {
    const t = await testEnv(kind)
    const smtp = await startSmtpServer()
    try {
      const deps = withSmtp(t, smtp)
      for (let i = 0; i < 4; i++) await buildApplication(deps, { applicant })
      const tried = await Promise.all([sendDueMail(deps), sendDueMail(deps), sendDueMail(deps)])
      expect(tried.reduce((a, b) => a + b, 0)).toBe(4)
      expect(smtp.received).toHaveLength(4)
      expect(new Set(smtp.received.map((m) => m.subject)).size).toBe(4)
    } finally {
      await smtp.close()
      await t.close()
    }
  })

  test('issue #11: the running worker sends a queued message soon after the step commits', async () => {
    const t = await testEnv(kind)
    const smtp = await startSmtpServer()
    const deps = withSmtp(t, smtp)
    const stop = startMailWorker(deps, { everyMs: 60_000, onError: (e) => expect.fail(String(e)) })
    try {
      const { number } = await buildApplication(deps, { applicant })
      for (let i = 0; i < 50 && smtp.received.length === 0; i++) await new Promise((r) => setTimeout(r, 100))
      expect(smtp.received.map((m) => m.subject)).toEqual([`您的政府信息公开申请已收到（申请编号 ${number}）`])
    } finally {
      await stop()
      await smtp.close()
      await t.close()
    }
  })

  test('issue #11: when the retention period erases the personal data, the e-mail address in the outbox goes with it and nothing more is sent', async () => {
    const t = await testEnv(kind)
    const smtp = await startSmtpServer()
    try {
      const deps = withSmtp(t, smtp)
      const handler = await buildStaffActor(deps, { roles: ['handler'] })
      const old = await buildApplication(deps, { receivedOn: '2023-03-01', applicant })
      await decideApplication(deps, handler, old.id, {
        on: '2023-03-20',
        outcome: 'GRANTED',
        replyType: '2',
        basis: '',
      })
      await writeSetting(deps.db, 'requests.retentionYears', '2', null, '2026-03-02T00:00:00Z')
      await purgeExpiredPersonalData(deps, systemActor())
      const rows = await deps.db.selectFrom('mail_outbox').selectAll().where('application_id', '=', old.id).execute()
      expect(rows.map((r) => [r.recipient_enc, r.status])).toEqual([[null, 'failed']])
      expect(rows[0]!.last_error).toContain('个人信息已按保存期限删除')
      expect(await sendDueMail(deps)).toBe(0)
      expect(smtp.received).toEqual([])
    } finally {
      await smtp.close()
      await t.close()
    }
  })
})

describe.each(databaseKinds)('without SMTP_URL on %s', (kind) => {
  test('issue #11: nothing is queued or sent, and the console application page says so', async () => {
    const t = await testEnv(kind)
    const smtp = await startSmtpServer()
    await setUpRegion(t.deps)
    const app = await buildApp(t.deps, { logger: false })
    try {
      expect(t.deps.config.smtpUrl).toBeUndefined()
      const handlerAccount = await buildStaff(t.deps, { roles: ['handler'] })
      const { id } = await buildApplication(t.deps, { applicant })
      expect(await sendDueMail(t.deps)).toBe(0)
      expect(await t.deps.db.selectFrom('mail_outbox').selectAll().execute()).toEqual([])
      expect(smtp.received).toEqual([])
      const browser = await signIn(app, handlerAccount)
      const page = await app.inject({ url: `/console/applications/${id}`, headers: { cookie: browser.cookie } })
      expect(page.statusCode).toBe(200)
      expect(page.body).toContain('未配置邮件服务器，不会向申请人发送邮件通知')
    } finally {
      await app.close()
      await smtp.close()
      await t.close()
    }
  })
})
