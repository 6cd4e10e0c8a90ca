import { describe, expect, test } from 'vitest'
import { systemActor } from '../src/audit/audit.ts'
import { searchAudit } from '../src/audit/audit.service.ts'
import { recordCalendarYear } from '../src/deadlines/calendar.service.ts'
import { writeSetting } from '../src/settings/settings.store.ts'
import { computeReport } from '../src/reports/report-compute.ts'
import { recordsOf } from '../src/reports/report.service.ts'
import { concludeAppeal, recordAppeal } from '../src/applications/appeal.service.ts'
import { docxText, pdfText } from '../src/confidentiality/extract-text.ts'
import {
  editLetter,
  issueLetter,
  letterFile,
  listLetters,
  staffLetterFile,
} from '../src/applications/letter.service.ts'
import { applicationForm } from '../src/applications/application.ts'
import type { ApplicationInput } from '../src/applications/application.ts'
import {
  approveExtension,
  concludeWithoutFee,
  notifyFee,
  receiveCorrection,
  recordConsultationReply,
  requestCorrection,
  sendConsultation,
} from '../src/applications/application.service.ts'
import { applicationView } from '../src/applications/application.service.ts'
import { saveFeePayment } from '../src/applications/settings.service.ts'
import { findOwnApplication } from '../src/applications/application.policy.ts'
import {
  knownApplicants,
  purgeExpiredPersonalData,
  readApplicantFile,
  revealApplicant,
} from '../src/applications/applicant.service.ts'
import { decideApplication, recordDelivery } from '../src/applications/decision.service.ts'
import { clockOf, clockOrProblem } from '../src/applications/due-date.service.ts'
import { submitApplication } from '../src/applications/intake.service.ts'
import { findByTracking, secondCheck } from '../src/applications/tracking.service.ts'
import { buildAgency, buildApplication, buildStaffActor } from './support/build-application.ts'
import { buildStaff, setUpRegion } from './support/builders.ts'
import { databaseKinds, testEnv } from './support/test-deps.ts'
import type { TestEnv } from './support/test-deps.ts'

// Disclosure on request through the same use cases the console and the portal call. Every due date
// is a literal counted by hand on the 2026 State Council notice (see statutory-clock.test.ts).

const citizen = (over: Partial<ApplicationInput> = {}): ApplicationInput =>
  applicationForm.parse({
    applicantKind: 'person',
    category: 'natural',
    name: '李明华',
    idType: 'resident_id',
    idNumber: '11010519491231002X',
    phone: '13912345678',
    address: '重庆市垫江县桂溪街道新华路 18 号',
    infoDescription: '2025年桂溪街道老旧小区改造项目的资金使用明细',
    wantedForm: 'electronic',
    deliveryWay: 'online',
    ...over,
  })
const online = { channel: 'online' as const }
// Beijing 10:00 on a date.
const at = (t: TestEnv, date: string) => t.clock.set(`${date}T02:00:00Z`)

async function staff(t: TestEnv, roles: ('handler' | 'office_head')[]) {
  const { officeId } = await setUpRegion(t.deps)
  const s = await buildStaff(t.deps, { roles })
  return { ...systemActor(roles.join()), id: s.id, agencyId: officeId, roles }
}

describe.each(databaseKinds)('disclosure on request on %s', (kind) => {
  test('a correction, a consultation and an extension move the due date exactly as the 2026 calendar says; the decision is on time', async () => {
    const t = await testEnv(kind, '2026-04-27T02:00:00Z')
    try {
      const { officeId } = await setUpRegion(t.deps)
      const handler = await staff(t, ['handler'])
      const head = await staff(t, ['office_head'])
      const { id, number, queryCode } = await submitApplication(
        t.deps,
        systemActor('申请人'),
        officeId,
        citizen(),
        online,
      )
      const due = async () => (await findOwnApplication(t.deps, handler, id)).due_on
      // Received on submission 4-27 (Mon); 20 working days over 劳动节 and the make-up Saturday 5-9.
      expect(await due()).toBe('2026-05-27')

      at(t, '2026-04-29')
      await requestCorrection(t.deps, handler, id, {
        on: '2026-04-29',
        correctBy: '2026-05-15',
        what: '请写明所需资金明细的项目名称',
      })
      expect(await due()).toBeNull()
      await expect(
        requestCorrection(t.deps, handler, id, { on: '2026-04-29', correctBy: '2026-05-15', what: '再补正' }),
      ).rejects.toThrow(/一次性告知/)

      at(t, '2026-05-08')
      await receiveCorrection(t.deps, handler, id, { on: '2026-05-08' })
      expect(await due()).toBe('2026-06-04')

      at(t, '2026-05-20')
      await sendConsultation(t.deps, handler, id, { on: '2026-05-20', party: 'thirdParty', to: '垫江县某建筑公司' })
      at(t, '2026-05-27')
      const sent = (await clockOf(t.deps, t.deps.db, await findOwnApplication(t.deps, handler, id))).pausedSince
      expect(sent).toBe('2026-05-20')
      const ref = (
        await t.deps.db
          .selectFrom('application_events')
          .select('id')
          .where('kind', '=', 'consultation_sent')
          .executeTakeFirstOrThrow()
      ).id
      await recordConsultationReply(t.deps, handler, id, { on: '2026-05-27', ref, opinion: '不同意公开报价明细' })
      expect(await due()).toBe('2026-06-11')

      at(t, '2026-06-05')
      await expect(
        approveExtension(t.deps, handler, id, { on: '2026-06-05', days: 20, reason: '需要分离不予公开的内容' }),
      ).rejects.toThrow(/负责人同意/)
      await approveExtension(t.deps, head, id, { on: '2026-06-05', days: 20, reason: '需要分离不予公开的内容' })
      // 条例第三十三条第二款: effective when its notice letter is issued within the reply period.
      const notice = (await listLetters(t.deps, t.deps.db, await findOwnApplication(t.deps, head, id))).find(
        (l) => l.kind === 'extension',
      )!
      await issueLetter(t.deps, head, id, notice.id)
      expect(await due()).toBe('2026-07-10')

      at(t, '2026-07-08')
      await expect(
        decideApplication(t.deps, handler, id, {
          on: '2026-07-08',
          outcome: 'PARTIAL',
          replyType: '2',
          basis: '',
          withheldBasis: 'art15',
        }),
      ).rejects.toThrow(/不予公开的理由/)
      await decideApplication(t.deps, handler, id, {
        on: '2026-07-08',
        outcome: 'PARTIAL',
        replyType: '2',
        basis: '条例第三十二条、第三十七条：报价明细涉及第三方商业秘密，已区分处理',
        withheldBasis: 'art15',
      })
      // Each step drafted its letter; the decision cites art. 37 and gives the appeal rights.
      const app = await findOwnApplication(t.deps, handler, id)
      const letters = await listLetters(t.deps, t.deps.db, app)
      expect(letters.map((l) => l.kind)).toEqual(['correction', 'consultation', 'extension', 'decision'])
      expect(letters[2]!.body).toContain('延长 20 个工作日，至2026年7月10日')
      const decision = letters[3]!
      expect(decision.body).toMatch(/^李明华：/)
      expect(decision.body).toContain('第三十七条')
      expect(decision.body).toContain('六十日内向重庆市垫江县人民政府申请行政复议')
      await editLetter(t.deps, handler, id, decision.id, `${decision.body}\n联系电话：023-74512345`)
      await issueLetter(t.deps, handler, id, decision.id)
      await expect(editLetter(t.deps, handler, id, decision.id, '改')).rejects.toThrow(/已印发/)
      const pdf = await letterFile(t.deps, app, decision.id, 'pdf', 'applicant')
      const pdfWords = (await pdfText(pdf.bytes)).replace(/\s+/g, '')
      for (const words of ['政府信息公开申请答复书', '第三十七条', '023-74512345', '李明华'])
        expect(pdfWords).toContain(words)
      expect(await docxText((await letterFile(t.deps, app, decision.id, 'docx', 'applicant')).bytes)).toContain(
        '六个月内依法向人民法院提起行政诉讼',
      )
      // The correction notice is still a draft: the applicant cannot download it.
      await expect(letterFile(t.deps, app, letters[0]!.id, 'pdf', 'applicant')).rejects.toThrow(/不存在/)

      at(t, '2026-07-09')
      expect(await recordDelivery(t.deps, handler, id, { on: '2026-07-09', method: 'post' })).toBe(true)

      // The report counts it: received in 2026 by a natural person, concluded as partial.
      const { applications } = await recordsOf(t.deps, officeId, 2026)
      expect(applications).toEqual([
        {
          id: number,
          applicantCategory: 'natural',
          receivedOn: '2026-04-27',
          concludedOn: '2026-07-08',
          outcome: 'PARTIAL',
        },
      ])

      // The citizen finds it by number and code, and passes the second check with the phone's last four.
      const found = await findByTracking(t.deps, number, queryCode!)
      expect(found?.id).toBe(id)
      expect(await findByTracking(t.deps, number, 'WRONGCODE2')).toBeUndefined()
      expect(secondCheck(t.deps, found!, '5678')).toBe(true)
      expect(secondCheck(t.deps, found!, '002X')).toBe(true)
      expect(secondCheck(t.deps, found!, '0000')).toBe(false)
    } finally {
      await t.close()
    }
  })

  test('personal data is encrypted, masked, revealed only to the handler and the office head, and kept out of the audit log', async () => {
    const t = await testEnv(kind, '2026-03-02T02:00:00Z')
    try {
      const { officeId } = await setUpRegion(t.deps)
      const handler = await staff(t, ['handler'])
      const other = await staff(t, ['handler'])
      const head = await staff(t, ['office_head'])
      const { id } = await submitApplication(t.deps, systemActor('申请人'), officeId, citizen(), online)
      const raw = JSON.stringify(
        await t.deps.db.selectFrom('applications').selectAll().where('id', '=', id).executeTakeFirstOrThrow(),
      )
      for (const secret of ['李明华', '11010519491231002X', '13912345678', '新华路']) expect(raw).not.toContain(secret)
      await requestCorrection(t.deps, handler, id, {
        on: '2026-03-02',
        correctBy: '2026-03-20',
        what: '请补充项目名称',
      })
      await expect(revealApplicant(t.deps, other, id)).rejects.toThrow(/只有本申请的承办人/)
      expect((await revealApplicant(t.deps, handler, id)).idNumber).toBe('11010519491231002X')
      expect((await revealApplicant(t.deps, head, id)).phone).toBe('13912345678')
      const audit = await searchAudit(t.deps, { action: 'application.reveal' }, 1)
      expect(audit.map((r) => r.result).sort()).toEqual(['denied', 'success', 'success'])
      const everything = JSON.stringify(await searchAudit(t.deps, {}, 1, 500))
      for (const secret of ['李明华', '11010519491231002X', '13912345678']) expect(everything).not.toContain(secret)
      // The pre-publication scan knows this applicant.
      expect(await knownApplicants(t.deps, t.deps.db, officeId)).toEqual([
        {
          name: '李明华',
          idNumber: '11010519491231002X',
          phone: '13912345678',
          address: '重庆市垫江县桂溪街道新华路 18 号',
        },
      ])
    } finally {
      await t.close()
    }
  })

  test('a retried submission creates one application; a bad ID number is refused with a Chinese message', async () => {
    const t = await testEnv(kind)
    try {
      const { officeId } = await setUpRegion(t.deps)
      const a = await submitApplication(t.deps, systemActor('申请人'), officeId, citizen(), {
        ...online,
        idempotencyKey: 'k-123456789012',
      })
      const b = await submitApplication(t.deps, systemActor('申请人'), officeId, citizen(), {
        ...online,
        idempotencyKey: 'k-123456789012',
      })
      // The retry gets the same application; its query code was shown once and is not kept (issue #14).
      expect(b).toEqual({ ...a, queryCode: null, repeated: true })
      expect(await t.deps.db.selectFrom('applications').select('id').execute()).toHaveLength(1)
      const bad = applicationForm.safeParse({ ...citizen(), idNumber: '110105194912310021' })
      expect(bad.success).toBe(false)
      expect(bad.error?.issues[0]?.message).toMatch(/居民身份证号码不正确/)
      const org = applicationForm.safeParse({
        ...citizen(),
        applicantKind: 'org',
        category: 'commercial',
        creditCode: '91500231MA5U000000',
        contactPerson: '王五',
      })
      expect(org.error?.issues.map((i) => i.message)).toContain('统一社会信用代码不正确（请核对最后一位校验码）')
    } finally {
      await t.close()
    }
  })

  test("per-piece fees follow the applicant's count in the month; unpaid after 20 working days it ends as OTHER_NO_FEE; a repeat is flagged", async () => {
    const t = await testEnv(kind, '2026-03-02T02:00:00Z')
    try {
      const { officeId } = await setUpRegion(t.deps)
      const handler = await staff(t, ['handler'])
      const ids: number[] = []
      const subjects = [
        '道路养护合同',
        '路灯维修记录',
        '绿化招标文件',
        '垃圾清运费用',
        '停车场收费标准',
        '学校食堂检查',
        '河道整治方案',
        '公交线路调整',
        '菜市场改造预算',
        '社区医院设备采购',
        '公园建设规划',
      ]
      for (const subject of subjects)
        ids.push(
          (
            await submitApplication(
              t.deps,
              systemActor('申请人'),
              officeId,
              citizen({ infoDescription: `桂溪街道${subject}` }),
              online,
            )
          ).id,
        )
      await saveFeePayment(t.deps, handler, '通过政府非税收入统一缴款平台缴纳') // 109号: the notice states how to pay
      await expect(notifyFee(t.deps, handler, ids[9]!, { on: '2026-03-02', method: 'piece' })).rejects.toThrow(
        /无需缴费/,
      )
      expect(await notifyFee(t.deps, handler, ids[10]!, { on: '2026-03-02', method: 'piece' })).toBe(100)
      await expect(
        notifyFee(t.deps, handler, ids[10]!, { on: '2026-03-02', method: 'volume', pages: 50 }),
      ).rejects.toThrow(/不得同时计收/)
      // Pay by: 20 working days after 3-02 = 3-30; the notice stops the clock meanwhile.
      at(t, '2026-03-30')
      await expect(concludeWithoutFee(t.deps, handler, ids[10]!, { on: '2026-03-30' })).rejects.toThrow(/尚未届满/)
      at(t, '2026-03-31')
      await concludeWithoutFee(t.deps, handler, ids[10]!, { on: '2026-03-31' })
      expect((await findOwnApplication(t.deps, handler, ids[10]!)).outcome).toBe('OTHER_NO_FEE')

      await decideApplication(t.deps, handler, ids[0]!, {
        on: '2026-03-31',
        outcome: 'GRANTED',
        replyType: '2',
        basis: '',
      })
      const again = await submitApplication(
        t.deps,
        systemActor('申请人'),
        officeId,
        citizen({ infoDescription: '桂溪街道的道路养护合同。' }),
        online,
      )
      const row = await findOwnApplication(t.deps, handler, again.id)
      expect(JSON.parse(row.flags!)).toContain('possible_repeat')
      expect(row.related_application_id).toBe(ids[0])
    } finally {
      await t.close()
    }
  })
})

describe.each(databaseKinds)('appeals on %s', (kind) => {
  test('reconsideration and litigation cases fill report section 四 by their state at 31 December, through the result mapping', async () => {
    const t = await testEnv(kind, '2027-03-01T02:00:00Z')
    try {
      const { officeId } = await setUpRegion(t.deps)
      const handler = await staff(t, ['handler'])
      const { number } = await submitApplication(t.deps, systemActor('申请人'), officeId, citizen(), {
        channel: 'in_person',
        receivedOn: '2026-03-02',
      })
      const upheld = await recordAppeal(t.deps, handler, {
        kind: 'reconsideration',
        filedOn: '2026-05-10',
        applicationNumber: number,
      })
      await concludeAppeal(t.deps, handler, upheld, { rawResult: '驳回复议申请', concludedOn: '2026-07-01' })
      const corrected = await recordAppeal(t.deps, handler, { kind: 'litigationDirect', filedOn: '2026-06-01' })
      await concludeAppeal(t.deps, handler, corrected, { rawResult: '确认违法', concludedOn: '2026-11-20' })
      // Decided in 2027: still pending at the end of 2026.
      const pending = await recordAppeal(t.deps, handler, {
        kind: 'litigationAfterReconsideration',
        filedOn: '2026-09-01',
      })
      await concludeAppeal(t.deps, handler, pending, { rawResult: '维持', concludedOn: '2027-02-01' })
      await expect(
        recordAppeal(t.deps, handler, {
          kind: 'reconsideration',
          filedOn: '2026-05-10',
          applicationNumber: 'YSQ-NONE',
        }),
      ).rejects.toThrow(/没有这个申请编号/)
      const { report } = computeReport(await recordsOf(t.deps, officeId, 2026), { year: 2026, format: '2021' })
      expect(report.appeals).toEqual({
        reconsideration: [1, 0, 0, 0, 1],
        litigationDirect: [0, 1, 0, 0, 1],
        litigationAfterReconsideration: [0, 0, 0, 1, 1],
      })
    } finally {
      await t.close()
    }
  })
})

describe.each(databaseKinds)('a due date in a year without a holiday notice on %s', (kind) => {
  test("《全国年节及纪念日放假办法》: the due date is 暂定 (weekends and 元旦 1-1) until the notice is recorded, then replaced by the notice's date", async () => {
    const t = await testEnv(kind, '2026-12-10T02:00:00Z')
    try {
      const { officeId } = await setUpRegion(t.deps)
      const handler = await staff(t, ['handler'])
      const { id } = await submitApplication(t.deps, systemActor('申请人'), officeId, citizen(), online)
      const app = await findOwnApplication(t.deps, handler, id)
      // 12-11 (1), 12-14…12-18 (6), 12-21…12-25 (11), 12-28…12-31 (15), 1-1 元旦 fixed by date, 1-4…1-8 (20).
      expect([app.due_on, app.due_provisional]).toEqual(['2027-01-08', 1])
      const { clock, problem } = await clockOrProblem(t.deps, t.deps.db, app)
      expect(problem).toBeNull()
      expect(clock?.provisional).toBe(true)
      expect(clock?.steps.at(-1)?.text).toMatch(/^暂定：2027 年放假安排尚未录入/)
      // A made-up 2027 notice (1 and 4 January off), recorded as the 系统管理员 would: the open
      // application gets the notice's date without anyone touching it.
      await recordCalendarYear(t.deps, systemActor(), {
        year: 2027,
        source: '测试用 2027 年安排（非真实通知）',
        holidays: ['2027-01-01', '2027-01-04'],
        makeupWorkdays: [],
      })
      const after = await findOwnApplication(t.deps, handler, id)
      expect([after.due_on, after.due_provisional]).toEqual(['2027-01-11', 0])
    } finally {
      await t.close()
    }
  })
})

describe.each(databaseKinds)('retention on %s', (kind) => {
  test('personal data of applications concluded longer ago than the retention setting is erased; the report still counts them', async () => {
    const t = await testEnv(kind, '2026-03-02T02:00:00Z')
    try {
      const { officeId } = await setUpRegion(t.deps)
      const handler = await staff(t, ['handler'])
      const old = await submitApplication(t.deps, systemActor('申请人'), officeId, citizen(), {
        channel: 'in_person',
        receivedOn: '2023-03-01',
      })
      await decideApplication(t.deps, handler, old.id, {
        on: '2023-03-20',
        outcome: 'GRANTED',
        replyType: '2',
        basis: '',
      })
      const recent = await submitApplication(
        t.deps,
        systemActor('申请人'),
        officeId,
        citizen({ infoDescription: '另一件申请的内容' }),
        online,
      )
      await writeSetting(t.deps.db, 'requests.retentionYears', '2', null, '2026-03-02T00:00:00Z')
      expect(await purgeExpiredPersonalData(t.deps, systemActor(), true)).toEqual({ cutoff: '2024-03-02', count: 1 })
      await purgeExpiredPersonalData(t.deps, systemActor())
      const gone = await findOwnApplication(t.deps, handler, old.id)
      expect([gone.id_number_enc, gone.phone_enc, gone.address_enc]).toEqual([null, null, null])
      expect((await findOwnApplication(t.deps, handler, recent.id)).phone_enc).not.toBeNull()
      expect((await recordsOf(t.deps, officeId, 2023)).applications).toHaveLength(1)
      expect(await searchAudit(t.deps, { action: 'application.purge' }, 1)).toHaveLength(1)
    } finally {
      await t.close()
    }
  })
})

describe.each(databaseKinds)("another agency's application on %s", (kind) => {
  test("staff of one agency can neither open, change nor reveal another agency's application, nor read its letters or applicant files", async () => {
    const t = await testEnv(kind)
    try {
      const bureau = await buildAgency(t.deps, '垫江县司法局')
      const theirs = await buildApplication(t.deps, { agencyId: bureau, files: 1 })
      const theirHead = await buildStaffActor(t.deps, { roles: ['handler', 'office_head'], agencyId: bureau })
      await requestCorrection(t.deps, theirHead, theirs.id, {
        on: '2026-03-02',
        correctBy: '2026-03-16',
        what: '写明年份',
      })
      // The bureau's own office head sees the letter and the file: they exist.
      const { letters, files } = await applicationView(t.deps, theirHead, theirs.id)
      const letterId = letters[0]!.id
      const fileId = files[0]!.id
      expect((await staffLetterFile(t.deps, theirHead, theirs.id, letterId, 'pdf')).type).toBe('application/pdf')
      expect((await readApplicantFile(t.deps, theirHead, theirs.id, fileId)).name).toBe('身份证复印件1.pdf')

      // The government office's head, of another agency of the same region, reaches none of it (AC-03).
      const ourHead = await buildStaffActor(t.deps, { roles: ['handler', 'office_head'] })
      const notFound = { code: 'not_found' }
      await expect(findOwnApplication(t.deps, ourHead, theirs.id)).rejects.toMatchObject(notFound)
      await expect(applicationView(t.deps, ourHead, theirs.id)).rejects.toMatchObject(notFound)
      await expect(staffLetterFile(t.deps, ourHead, theirs.id, letterId, 'pdf')).rejects.toMatchObject(notFound)
      await expect(readApplicantFile(t.deps, ourHead, theirs.id, fileId)).rejects.toMatchObject(notFound)
      await expect(revealApplicant(t.deps, ourHead, theirs.id)).rejects.toMatchObject(notFound)
      await expect(editLetter(t.deps, ourHead, theirs.id, letterId, '改写')).rejects.toMatchObject(notFound)
      await expect(issueLetter(t.deps, ourHead, theirs.id, letterId)).rejects.toMatchObject(notFound)
      await expect(receiveCorrection(t.deps, ourHead, theirs.id, { on: '2026-03-02' })).rejects.toMatchObject(notFound)
      const stillTheirs = await findOwnApplication(t.deps, theirHead, theirs.id)
      expect([stillTheirs.status, stillTheirs.handler_id]).toEqual(['correction', theirHead.id])
    } finally {
      await t.close()
    }
  })
})

describe.each(databaseKinds)('extension on %s', (kind) => {
  test('条例第三十三条第二款: an extension of more than 20 working days is refused by the use case itself, not only by the form', async () => {
    const t = await testEnv(kind)
    try {
      const head = await buildStaffActor(t.deps, { roles: ['office_head'] })
      // Received in person on Monday 3-02: 20 working days run 3-03 … 3-30.
      const application = await buildApplication(t.deps, { receivedOn: '2026-03-02' })
      const due = async () => (await findOwnApplication(t.deps, head, application.id)).due_on
      expect(await due()).toBe('2026-03-30')
      const reason = '需要分离不予公开的内容'
      await expect(
        approveExtension(t.deps, head, application.id, { on: '2026-03-02', days: 21, reason }),
      ).rejects.toMatchObject({ code: 'invalid_input', message: '延长期限为 1 至 20 个工作日' })
      expect(await due()).toBe('2026-03-30')
      expect(await searchAudit(t.deps, { action: 'application.extension_approved' }, 1)).toHaveLength(0)
      // 20 is the most: 3-31 … 4-03 (4), 清明 4-04 … 4-06 off, 4-07 … 4-28 (20).
      await approveExtension(t.deps, head, application.id, { on: '2026-03-02', days: 20, reason })
      // 条例第三十三条第二款: effective when its notice letter is issued within the reply period.
      const notice = (
        await listLetters(t.deps, t.deps.db, await findOwnApplication(t.deps, head, application.id))
      ).find((l) => l.kind === 'extension')!
      await issueLetter(t.deps, head, application.id, notice.id)
      expect(await due()).toBe('2026-04-28')
    } finally {
      await t.close()
    }
  })
})
