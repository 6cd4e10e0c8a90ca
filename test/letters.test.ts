import { describe, expect, test } from 'vitest'
import { decideApplication } from '../src/applications/decision.service.ts'
import type { DecisionInput } from '../src/applications/decision.service.ts'
import { findOwnApplication } from '../src/applications/application.policy.ts'
import { letterFile, listLetters } from '../src/applications/letter.service.ts'
import type { StaffActor } from '../src/audit/audit.ts'
import { docxText, pdfText } from '../src/confidentiality/extract-text.ts'
import type { Deps } from '../src/deps.ts'
import { readApplicationSettings, saveApplicationSettings } from '../src/applications/settings.service.ts'
import type { ApplicationSettings } from '../src/applications/settings.service.ts'
import { buildAgency, buildApplication, buildStaffActor } from './support/build-application.ts'
import { buildStaff, form, signIn } from './support/builders.ts'
import { testApp } from './support/app.ts'
import { databaseKinds, testEnv } from './support/test-deps.ts'

// The decision letters (告知书) as the applicant receives them: the text is read back from the real
// DOCX and PDF files. Each rule names the article it rests on, here and in the code.

/** The text of a letter in both formats, whitespace removed (PDF text breaks lines anywhere). */
async function lettersText(deps: Deps, actor: StaffActor, id: number, kind = 'decision') {
  const application = await findOwnApplication(deps, actor, id)
  const letter = (await listLetters(deps, deps.db, application)).find((l) => l.kind === kind)!
  const squeeze = (s: string) => s.replace(/\s+/g, '')
  const docx = squeeze(await docxText((await letterFile(deps, application, letter.id, 'docx', false)).bytes))
  const pdf = squeeze(await pdfText((await letterFile(deps, application, letter.id, 'pdf', false)).bytes))
  return { docx, pdf, body: letter.body, letterId: letter.id }
}

/** A decision on a fresh application received on 2026-03-02, and its letter in both formats. */
async function decided(deps: Deps, input: Partial<DecisionInput> & { outcome: string }, agencyId?: number) {
  const handler = await buildStaffActor(deps, { roles: ['handler'], ...(agencyId ? { agencyId } : {}) })
  const { id } = await buildApplication(deps, { receivedOn: '2026-03-02', ...(agencyId ? { agencyId } : {}) })
  await decideApplication(deps, handler, id, { on: '2026-03-02', replyType: '3', basis: '', ...input })
  return { handler, id, ...(await lettersText(deps, handler, id)) }
}

const refusals = [
  'DENY_SECRET',
  'DENY_LAW',
  'DENY_SECURITY',
  'DENY_THIRD_PARTY',
  'DENY_INTERNAL',
  'DENY_PROCESS',
  'DENY_ENFORCEMENT_FILE',
] as const

describe.each(databaseKinds)('decision letters on %s', (kind) => {
  test('行政复议法 art. 23 para. 1 (四), para. 2: every refusal, and the withheld part of a partial disclosure, tells the applicant to apply for 复议 first within 60 days (art. 20) and to sue within 15 days of the 复议 decision (行政诉讼法 art. 45); other outcomes keep 复议 or suit within 6 months (行政诉讼法 art. 46)', async () => {
    const t = await testEnv(kind)
    try {
      const first =
        '应当自收到本答复之日起六十日内先向重庆市垫江县人民政府申请行政复议；对行政复议决定不服的，可以自收到行政复议决定书之日起十五日内依法向人民法院提起行政诉讼。'
      const either =
        '可以自收到本答复之日起六十日内向重庆市垫江县人民政府申请行政复议，或者自收到本答复之日起六个月内依法向人民法院提起行政诉讼。'
      for (const outcome of refusals) {
        const letter = await decided(t.deps, { outcome, basis: '该信息涉及的内容不宜公开，理由见正文' })
        for (const text of [letter.docx, letter.pdf]) {
          expect(text, outcome).toContain(`如对本答复不服的，${first}`)
          expect(text, outcome).not.toContain('六个月内')
        }
      }
      const partial = await decided(t.deps, { outcome: 'PARTIAL', replyType: '2', basis: '报价明细涉及商业秘密' })
      for (const text of [partial.docx, partial.pdf]) {
        expect(text).toContain(`如对本答复中不予公开的部分不服的，${first}`)
        expect(text).toContain(`如对本答复的其他内容不服的，${either}`)
      }
      for (const [outcome, replyType] of [
        ['GRANTED', '2'],
        ['UNABLE_NOT_HELD', '4'],
        ['NP_PETITION', 'none'],
      ] as const) {
        const letter = await decided(t.deps, { outcome, replyType })
        for (const text of [letter.docx, letter.pdf]) {
          expect(text, outcome).toContain(`如对本答复不服的，${either}`)
          expect(text, outcome).not.toContain('先向')
        }
      }
    } finally {
      await t.close()
    }
  })

  test('行政复议法 art. 24: the letters name the region government for its departments and the next-higher government for the county government; art. 27: a vertically managed organ names the next-higher organ of its system, set by its office head', async () => {
    const t = await testApp(kind)
    try {
      const deps = t.deps
      // A bureau of the county government: the county government (art. 24 para. 1 (一)).
      const bureau = await buildAgency(deps, '垫江县交通运输局')
      expect((await decided(deps, { outcome: 'DENY_INTERNAL', basis: '人事管理信息' }, bureau)).docx).toContain(
        '先向重庆市垫江县人民政府申请行政复议',
      )
      // The county government itself: the next-higher government (art. 24 para. 1 (二)).
      const county = await buildAgency(deps, '重庆市垫江县人民政府', { kind: '人民政府' })
      const head = await buildStaffActor(deps, { roles: ['office_head'], agencyId: county })
      expect((await readApplicationSettings(deps, head)).reconsiderationBody).toBe('重庆市人民政府')
      const ofCounty = await decided(deps, { outcome: 'DENY_PROCESS', basis: '讨论记录' }, county)
      for (const text of [ofCounty.docx, ofCounty.pdf]) expect(text).toContain('先向重庆市人民政府申请行政复议')

      // A tax bureau is vertically managed (art. 27): its office head must name the body.
      const tax = await buildAgency(deps, '国家税务总局垫江县税务局')
      const taxHead = await buildStaff(deps, { roles: ['office_head'], agencyId: tax })
      const signedIn = await signIn(t.app, taxHead)
      const save = (fields: Record<string, string>) =>
        t.app.inject({
          method: 'POST',
          url: '/console/request-settings',
          headers: { cookie: signedIn.cookie, 'content-type': 'application/x-www-form-urlencoded' },
          payload: form({ _csrf: signedIn.csrf, frequentThreshold: '10', ...fields }),
        })
      const refused = await save({ verticalSystem: 'tax', reconsiderationBody: '' })
      expect(refused.statusCode).toBe(422)
      expect(refused.body).toContain('实行垂直领导的机关请填写上一级主管部门的名称（行政复议法第二十七条）')
      expect((await save({ verticalSystem: 'tax', reconsiderationBody: '国家税务总局重庆市税务局' })).statusCode).toBe(
        303,
      )
      const ofTax = await decided(deps, { outcome: 'DENY_THIRD_PARTY', basis: '纳税人的涉税信息' }, tax)
      for (const text of [ofTax.docx, ofTax.pdf]) expect(text).toContain('先向国家税务总局重庆市税务局申请行政复议')

      // Saving the county's default stores nothing: it keeps following art. 24.
      const settings: ApplicationSettings = {
        ...(await readApplicationSettings(deps, head)),
        reconsiderationBody: '重庆市人民政府',
      }
      await saveApplicationSettings(deps, head, settings)
      const stored = await deps.db
        .selectFrom('settings')
        .select('key')
        .where('key', '=', `letters.${county}.reconsiderationBody`)
        .execute()
      expect(stored).toEqual([])
    } finally {
      await t.close()
    }
  })
})
