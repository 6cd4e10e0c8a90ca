import { describe, expect, test } from 'vitest'
import { decideApplication } from '../src/applications/decision.service.ts'
import type { DecisionInput } from '../src/applications/decision.service.ts'
import { findOwnApplication } from '../src/applications/application.policy.ts'
import { issueLetter, letterFile, listLetters } from '../src/applications/letter.service.ts'
import { requestCorrection } from '../src/applications/application.service.ts'
import type { StaffActor } from '../src/audit/audit.ts'
import { docxText, pdfText } from '../src/confidentiality/extract-text.ts'
import type { Deps } from '../src/deps.ts'
import { readApplicationSettings, saveApplicationSettings } from '../src/applications/settings.service.ts'
import type { ApplicationSettings } from '../src/applications/settings.service.ts'
import { buildAgency, buildApplication, buildStaffActor } from './support/build-application.ts'
import { buildStaff, form, signIn } from './support/builders.ts'
import { testApp } from './support/app.ts'
import { migrateTo, migrateToLatest } from '../src/storage/migrate.ts'
import { databaseKinds, testEnv } from './support/test-deps.ts'

// The decision letters (告知书) as the applicant receives them: the text is read back from the real
// DOCX and PDF files. Each rule names the article it rests on, here and in the code.

/** The text of a letter in both formats, whitespace removed (PDF text breaks lines anywhere). */
async function lettersText(deps: Deps, actor: StaffActor, id: number, kind = 'decision') {
  const application = await findOwnApplication(deps, actor, id)
  const letter = (await listLetters(deps, deps.db, application)).find((l) => l.kind === kind)!
  const squeeze = (s: string) => s.replace(/\s+/g, '')
  const docx = squeeze(await docxText((await letterFile(deps, application, letter.id, 'docx', 'staff')).bytes))
  const pdf = squeeze(await pdfText((await letterFile(deps, application, letter.id, 'pdf', 'staff')).bytes))
  return { docx, pdf, body: letter.body, letterId: letter.id }
}

/** A decision on a fresh application received on 2026-03-02, and its letter in both formats. */
async function decided(deps: Deps, input: Partial<DecisionInput> & { outcome: string }, agencyId?: number) {
  const handler = await buildStaffActor(deps, { roles: ['handler'], ...(agencyId ? { agencyId } : {}) })
  const { id } = await buildApplication(deps, { receivedOn: '2026-03-02', ...(agencyId ? { agencyId } : {}) })
  // These tests read the letters' text; deciding DENY_THIRD_PARTY without a consultation (条例第十五条、
  // 第三十二条) is confirmed here and tested on its own below.
  const confirm = input.outcome === 'DENY_THIRD_PARTY' ? { confirmNoConsultation: true } : {}
  await decideApplication(deps, handler, id, { on: '2026-03-02', replyType: '3', basis: '', ...confirm, ...input })
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
      const partial = await decided(t.deps, {
        outcome: 'PARTIAL',
        replyType: '2',
        basis: '报价明细涉及商业秘密',
        withheldBasis: 'art15',
      })
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

  test('条例 arts. 14, 15, 16 para. 1 and para. 2 with art. 36 (三): each refusal cites its own article and gives the written reason; the form refuses a refusal without one', async () => {
    const t = await testApp(kind)
    try {
      const cited: Record<(typeof refusals)[number], string> = {
        DENY_SECRET: '第十四条和第三十六条第（三）项',
        DENY_LAW: '第十四条和第三十六条第（三）项',
        DENY_SECURITY: '第十四条和第三十六条第（三）项',
        DENY_THIRD_PARTY: '第十五条和第三十六条第（三）项',
        DENY_INTERNAL: '第十六条第一款和第三十六条第（三）项',
        DENY_PROCESS: '第十六条第二款和第三十六条第（三）项',
        DENY_ENFORCEMENT_FILE: '第十六条第二款和第三十六条第（三）项',
      }
      for (const outcome of refusals) {
        const letter = await decided(t.deps, { outcome, basis: '所申请的材料为尚在研究的内部讨论稿' })
        for (const text of [letter.docx, letter.pdf]) {
          expect(text, outcome).toContain(
            `《中华人民共和国政府信息公开条例》${cited[outcome]}的规定，本机关决定不予公开。`,
          )
          expect(text, outcome).toContain('理由：所申请的材料为尚在研究的内部讨论稿。')
          expect(text, outcome).not.toContain('有关条款')
        }
      }
      const handler = await signIn(t.app, await buildStaff(t.deps, { roles: ['handler'] }))
      const { id } = await buildApplication(t.deps, { receivedOn: '2026-03-02' })
      const refused = await t.app.inject({
        method: 'POST',
        url: `/console/applications/${id}/decide`,
        headers: { cookie: handler.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: form({ _csrf: handler.csrf, on: '2026-03-02', outcome: 'DENY_SECRET', replyType: '3', basis: ' ' }),
      })
      expect(refused.statusCode).toBe(422)
      expect(refused.body).toContain('请写明不予公开的理由')
    } finally {
      await t.close()
    }
  })

  test('条例 art. 36 (七): a registration query is answered with the law that governs it and where to apply, not as a refusal under art. 36 (三)', async () => {
    const t = await testEnv(kind)
    try {
      const handler = await buildStaffActor(t.deps, { roles: ['handler'] })
      const { id } = await buildApplication(t.deps, { receivedOn: '2026-03-02' })
      const query = { on: '2026-03-02', outcome: 'DENY_QUERY', basis: '' }
      await expect(decideApplication(t.deps, handler, id, { ...query, replyType: '3' })).rejects.toThrow(
        /第三十六条第（七）项/,
      )
      await expect(
        decideApplication(t.deps, handler, id, { ...query, replyType: '7', queryOffice: '垫江县不动产登记中心' }),
      ).rejects.toThrow(/法律、行政法规/)
      await decideApplication(t.deps, handler, id, {
        ...query,
        replyType: '7',
        queryLaw: '《不动产登记资料查询暂行办法》',
        queryOffice: '垫江县不动产登记中心（桂溪街道行政服务中心一楼）',
      })
      const letter = await lettersText(t.deps, handler, id)
      for (const text of [letter.docx, letter.pdf]) {
        expect(text).toContain(
          '根据《中华人民共和国政府信息公开条例》第三十六条第（七）项的规定，请您依照《不动产登记资料查询暂行办法》的规定，向垫江县不动产登记中心（桂溪街道行政服务中心一楼）申请查询。',
        )
        expect(text).not.toContain('第三十六条第（三）项')
        expect(text).not.toContain('不予公开')
      }
    } finally {
      await t.close()
    }
  })

  test('条例 art. 36 (五): information this agency is not responsible for names the responsible agency and its contact when they are known', async () => {
    const t = await testEnv(kind)
    try {
      const known = await decided(t.deps, {
        outcome: 'UNABLE_NOT_HELD',
        replyType: '5',
        basis: '企业登记信息由市场监管部门制作和保存',
        responsibleAgency: '垫江县市场监督管理局',
        responsibleContact: '023-74681234，垫江县桂溪街道人民路 88 号',
      })
      for (const text of [known.docx, known.pdf]) {
        expect(text).toContain('第三十六条第（五）项')
        expect(text).toContain(
          '该政府信息由垫江县市场监督管理局负责公开，联系方式：023-74681234，垫江县桂溪街道人民路88号，请您向该机关提出申请。',
        )
      }
      const unknown = await decided(t.deps, { outcome: 'UNABLE_NOT_HELD', replyType: '5', basis: '不属于本机关职责' })
      for (const text of [unknown.docx, unknown.pdf]) {
        expect(text).toContain('第三十六条第（五）项')
        expect(text).not.toContain('负责公开，联系方式')
      }
    } finally {
      await t.close()
    }
  })

  test('a letter bears its decision date, not the day the draft is printed; a 文号 from the agency pattern numbered per year on issue; single brackets; deadlines "请于X前（含当日）"', async () => {
    const t = await testEnv(kind, '2026-03-10T02:00:00Z')
    try {
      const handler = await buildStaffActor(t.deps, { roles: ['handler'] })
      const head = await buildStaffActor(t.deps, { roles: ['office_head'] })
      await saveApplicationSettings(t.deps, head, {
        ...(await readApplicationSettings(t.deps, head)),
        referencePattern: '垫府办公开〔{year}〕{n}号',
      })
      const reason = '（一）报价明细涉及投标企业的商业秘密；（二）企业不同意公开。'
      const first = await buildApplication(t.deps, { receivedOn: '2026-03-02' })
      await decideApplication(t.deps, handler, first.id, {
        on: '2026-03-06',
        outcome: 'DENY_THIRD_PARTY',
        replyType: '3',
        basis: reason,
        confirmNoConsultation: true,
      })
      const draft = await lettersText(t.deps, handler, first.id)
      for (const text of [draft.docx, draft.pdf]) {
        expect(text).toContain('2026年3月6日')
        expect(text).not.toContain('2026年3月10日')
        expect(text).not.toContain('（（')
        expect(text).toContain('理由：（一）报价明细涉及投标企业的商业秘密；（二）企业不同意公开。')
      }
      await issueLetter(t.deps, handler, first.id, draft.letterId)
      const second = await buildApplication(t.deps, { receivedOn: '2026-03-02' })
      await decideApplication(t.deps, handler, second.id, {
        on: '2026-03-09',
        outcome: 'GRANTED',
        replyType: '2',
        basis: '',
      })
      await issueLetter(t.deps, handler, second.id, (await lettersText(t.deps, handler, second.id)).letterId)
      const issued = await lettersText(t.deps, handler, first.id)
      for (const text of [issued.docx, issued.pdf]) {
        expect(text).toContain('垫府办公开〔2026〕1号')
        expect(text).toContain('2026年3月6日')
      }
      for (const text of Object.values(await lettersText(t.deps, handler, second.id)).slice(0, 2))
        expect(text).toContain('垫府办公开〔2026〕2号')
      // A new year starts at 1.
      t.clock.set('2027-01-05T02:00:00Z')
      const third = await buildApplication(t.deps, { receivedOn: '2027-01-04' })
      await decideApplication(t.deps, handler, third.id, {
        on: '2027-01-05',
        outcome: 'GRANTED',
        replyType: '2',
        basis: '',
      })
      await issueLetter(t.deps, handler, third.id, (await lettersText(t.deps, handler, third.id)).letterId)
      expect((await lettersText(t.deps, handler, third.id)).docx).toContain('垫府办公开〔2027〕1号')

      // The correction deadline includes its last day.
      const fourth = await buildApplication(t.deps, { receivedOn: '2027-01-04' })
      await requestCorrection(t.deps, handler, fourth.id, {
        on: '2027-01-05',
        correctBy: '2027-01-19',
        what: '请写明项目名称',
      })
      const correction = await lettersText(t.deps, handler, fourth.id, 'correction')
      for (const text of [correction.docx, correction.pdf]) {
        expect(text).toContain('请于2027年1月19日前（含当日）提交补正后的申请')
        expect(text).toContain('2027年1月5日')
      }
    } finally {
      await t.close()
    }
  })

  test("行政复议法 art. 23 para. 2: an agency's own decision template must carry {救济途径}, so a refusal written from it still tells of 复议 first and cites its article through {答复意见}", async () => {
    const t = await testApp(kind)
    try {
      const head = await signIn(t.app, await buildStaff(t.deps, { roles: ['office_head'] }))
      const save = (template_decision: string) =>
        t.app.inject({
          method: 'POST',
          url: '/console/request-settings',
          headers: { cookie: head.cookie, 'content-type': 'application/x-www-form-urlencoded' },
          payload: form({ _csrf: head.csrf, frequentThreshold: '10', template_decision }),
        })
      const refused = await save('{申请人}：\n经审查，本机关决定不予公开。如不服，可以提起行政诉讼。')
      expect(refused.statusCode).toBe(422)
      expect(refused.body).toContain('答复书模板须包含 {救济途径}')
      expect((await save('{申请人}：\n{答复意见}\n{救济途径}\n联系电话：023-74512345')).statusCode).toBe(303)
      const letter = await decided(t.deps, { outcome: 'DENY_SECRET', basis: '会议纪要已定为秘密级' })
      for (const text of [letter.docx, letter.pdf]) {
        expect(text).toContain('第十四条和第三十六条第（三）项')
        expect(text).toContain('先向重庆市垫江县人民政府申请行政复议')
        expect(text).toContain('联系电话：023-74512345')
      }
    } finally {
      await t.close()
    }
  })

  test('a letter issued before the letter-facts migration keeps the date it was issued on; the migration goes down and up again', async () => {
    const t = await testEnv(kind, '2026-03-10T02:00:00Z')
    try {
      const handler = await buildStaffActor(t.deps, { roles: ['handler'] })
      const { id } = await buildApplication(t.deps, { receivedOn: '2026-03-02' })
      await decideApplication(t.deps, handler, id, { on: '2026-03-06', outcome: 'GRANTED', replyType: '2', basis: '' })
      await issueLetter(t.deps, handler, id, (await lettersText(t.deps, handler, id)).letterId)
      await migrateTo(t.deps.db, kind, '2026-11-26-12-jobs')
      await migrateToLatest(t.deps.db, kind)
      t.clock.set('2026-03-20T02:00:00Z')
      const letter = await lettersText(t.deps, handler, id)
      for (const text of [letter.docx, letter.pdf]) expect(text).toContain('2026年3月10日')
    } finally {
      await t.close()
    }
  })
})
