import { describe, expect, test } from 'vitest'
import { sendConsultation } from '../src/applications/application.service.ts'
import { findOwnApplication } from '../src/applications/application.policy.ts'
import { listEvents } from '../src/applications/application.store.ts'
import { decideApplication, listFlaggedThirdPartyRefusals } from '../src/applications/decision.service.ts'
import { letterFile, listLetters } from '../src/applications/letter.service.ts'
import { searchAudit } from '../src/audit/audit.service.ts'
import { docxText, pdfText } from '../src/confidentiality/extract-text.ts'
import type { StaffActor } from '../src/audit/audit.ts'
import type { Deps } from '../src/deps.ts'
import { testApp } from './support/app.ts'
import { buildApplication, buildStaffActor } from './support/build-application.ts'
import { buildStaff, form, signIn } from './support/builders.ts'
import { databaseKinds, testEnv } from './support/test-deps.ts'

// What a refusal in whole or in part must state before it is written: the withheld part of a
// 部分公开 its own article and reason (条例第三十七条 with arts. 14–16, 36 (三)), and a refusal for a
// third party's rights its consultation, or an explicit confirmation that is flagged (arts. 15, 32).

async function decisionText(deps: Deps, actor: StaffActor, id: number) {
  const application = await findOwnApplication(deps, actor, id)
  const letter = (await listLetters(deps, deps.db, application)).find((l) => l.kind === 'decision')!
  const squeeze = (s: string) => s.replace(/\s+/g, '')
  return [
    squeeze(await docxText((await letterFile(deps, application, letter.id, 'docx', 'staff')).bytes)),
    squeeze(await pdfText((await letterFile(deps, application, letter.id, 'pdf', 'staff')).bytes)),
  ]
}

const partial = { on: '2026-03-06', outcome: 'PARTIAL', replyType: '2' }

describe.each(databaseKinds)('the basis of a refusal on %s', (kind) => {
  test('条例第三十七条: the withheld part of a 部分公开 cites the article chosen and the written reason, with 行政复议 first for that part (行政复议法第二十三条); without them nothing is written', async () => {
    const t = await testEnv(kind)
    try {
      const handler = await buildStaffActor(t.deps, { roles: ['handler'] })
      const { id } = await buildApplication(t.deps, { receivedOn: '2026-03-02' })
      t.clock.set('2026-03-06T02:00:00Z')
      const reason = '会议讨论记录尚未形成正式决定'
      await expect(decideApplication(t.deps, handler, id, { ...partial, basis: reason })).rejects.toMatchObject({
        code: 'invalid_input',
        fields: { withheldBasis: '请选择不予公开部分的依据' },
      })
      await expect(
        decideApplication(t.deps, handler, id, { ...partial, basis: '', withheldBasis: 'art16_2' }),
      ).rejects.toMatchObject({ code: 'invalid_input', fields: { basis: '请写明不予公开的理由' } })
      expect((await findOwnApplication(t.deps, handler, id)).status).toBe('open')
      expect((await listEvents(t.deps.db, id)).map((e) => e.kind)).toEqual(['received'])

      await decideApplication(t.deps, handler, id, { ...partial, basis: reason, withheldBasis: 'art16_2' })
      for (const text of await decisionText(t.deps, handler, id)) {
        expect(text).toContain(
          '您申请获取的政府信息，其中部分内容属于行政机关在履行行政管理职能过程中形成的过程性信息或者行政执法案卷信息。理由：会议讨论记录尚未形成正式决定。',
        )
        expect(text).toContain('第十六条第二款、第三十六条第（三）项和第三十七条的规定')
        expect(text).toContain('如对本答复中不予公开的部分不服的，应当自收到本答复之日起六十日内先向')
      }
      const other = await buildApplication(t.deps, { receivedOn: '2026-03-02' })
      await decideApplication(t.deps, handler, other.id, {
        ...partial,
        basis: '个人身份证号码',
        withheldBasis: 'art15',
      })
      for (const text of await decisionText(t.deps, handler, other.id)) {
        expect(text).toContain('涉及商业秘密、个人隐私等公开后会对第三方合法权益造成损害的内容')
        expect(text).toContain('第十五条、第三十六条第（三）项和第三十七条')
      }
    } finally {
      await t.close()
    }
  })

  test('条例第三十七条: the decision form asks for the withheld part’s article and refuses a 部分公开 without it in Chinese, keeping the input', async () => {
    const t = await testApp(kind)
    try {
      const { id } = await buildApplication(t.deps, { receivedOn: '2026-03-02' })
      const staff = await signIn(t.app, await buildStaff(t.deps, { roles: ['handler'] }))
      const page = await t.app.inject({ url: `/console/applications/${id}`, headers: { cookie: staff.cookie } })
      expect(page.body).toContain('不予公开部分所依据的条款')
      const refused = await t.app.inject({
        method: 'POST',
        url: `/console/applications/${id}/decide`,
        headers: { cookie: staff.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: form({ _csrf: staff.csrf, on: '2026-03-02', outcome: 'PARTIAL', replyType: '2', basis: '内部讨论稿' }),
      })
      expect(refused.statusCode).toBe(422)
      expect(refused.body).toContain('部分公开须选择不予公开部分所依据的条款')
      expect(refused.body).toContain('内部讨论稿')
    } finally {
      await t.close()
    }
  })

  test('条例第十五条、第三十二条: DENY_THIRD_PARTY without a recorded third-party consultation needs an explicit confirmation; confirmed, it is flagged on the page, in the audit log and in the office head’s list', async () => {
    const t = await testApp(kind)
    try {
      const handler = await buildStaffActor(t.deps, { roles: ['handler'] })
      const head = await buildStaffActor(t.deps, { roles: ['office_head'] })
      const deny = { on: '2026-03-06', outcome: 'DENY_THIRD_PARTY', replyType: '3', basis: '涉及投标企业报价' }
      const unconsulted = await buildApplication(t.deps, { receivedOn: '2026-03-02' })
      const consulted = await buildApplication(t.deps, { receivedOn: '2026-03-02' })
      t.clock.set('2026-03-06T02:00:00Z')

      await expect(decideApplication(t.deps, handler, unconsulted.id, deny)).rejects.toMatchObject({
        code: 'invalid_input',
        message: expect.stringContaining('本申请未记录征求第三方意见'),
      })
      expect((await findOwnApplication(t.deps, handler, unconsulted.id)).status).toBe('open')

      // Through the form: without the box ticked, 422 and nothing written; ticked, decided and flagged.
      const staff = await signIn(t.app, await buildStaff(t.deps, { roles: ['handler'] }))
      const post = (extra: Record<string, string>) =>
        t.app.inject({
          method: 'POST',
          url: `/console/applications/${unconsulted.id}/decide`,
          headers: { cookie: staff.cookie, 'content-type': 'application/x-www-form-urlencoded' },
          payload: form({ _csrf: staff.csrf, ...deny, ...extra }),
        })
      const refused = await post({})
      expect(refused.statusCode).toBe(422)
      expect(refused.body).toContain('请确认后再作出答复')
      expect(refused.body).toContain('name="confirmNoConsultation"')
      expect((await listEvents(t.deps.db, unconsulted.id)).map((e) => e.kind)).toEqual(['received'])
      expect((await post({ confirmNoConsultation: 'yes' })).statusCode).toBe(303)
      const page = await t.app.inject({
        url: `/console/applications/${unconsulted.id}`,
        headers: { cookie: staff.cookie },
      })
      expect(page.body).toContain('未征求第三方意见即以第三方合法权益为由不予公开')
      const audit = await searchAudit(t.deps, { action: 'application.decided' }, 1)
      expect(audit.map((a) => [a.object_id, JSON.parse(a.detail ?? '{}').thirdPartyUnconsulted])).toEqual([
        [unconsulted.number, true],
      ])

      // Consulted first: no confirmation asked, no flag.
      await sendConsultation(t.deps, handler, consulted.id, { on: '2026-03-03', party: 'thirdParty', to: '某建筑公司' })
      await decideApplication(t.deps, handler, consulted.id, deny)
      const consultedPage = await t.app.inject({
        url: `/console/applications/${consulted.id}`,
        headers: { cookie: staff.cookie },
      })
      expect(consultedPage.body).not.toContain('未征求第三方意见即以第三方合法权益为由不予公开')

      const flagged = await listFlaggedThirdPartyRefusals(t.deps, head)
      expect(flagged.map((f) => [f.number, f.decidedOn])).toEqual([[unconsulted.number, '2026-03-06']])
    } finally {
      await t.close()
    }
  })
})
