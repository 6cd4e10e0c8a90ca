import { describe, expect, test } from 'vitest'
import { decideApplication } from '../src/applications/decision.service.ts'
import type { DecisionInput } from '../src/applications/decision.service.ts'
import { findOwnApplication } from '../src/applications/application.policy.ts'
import { letterFile, listLetters } from '../src/applications/letter.service.ts'
import type { StaffActor } from '../src/audit/audit.ts'
import { docxText, pdfText } from '../src/confidentiality/extract-text.ts'
import type { Deps } from '../src/deps.ts'
import { buildApplication, buildStaffActor } from './support/build-application.ts'
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
})
