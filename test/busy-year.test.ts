import { describe, expect, test } from 'vitest'
import { isValidCreditCode } from '../src/agencies/credit-code.ts'
import { systemActor } from '../src/audit/audit.ts'
import { recordCalendarYear } from '../src/deadlines/calendar.service.ts'
import { checkReport } from '../src/reports/report-checks.ts'
import { computeReport } from '../src/reports/report-compute.ts'
import { applicantCategories } from '../src/reports/report-records.ts'
import type { ApplicantCategory } from '../src/reports/report-records.ts'
import { recordsOf } from '../src/reports/report.service.ts'
import { applicationForm } from '../src/requests/request.ts'
import {
  concludeWithoutCorrection, concludeWithoutFee, decideApplication, notifyFee, receiveCorrection, recordConsultationReply, requestCorrection, requestReasons, sendConsultation,
  submitApplication, withdrawApplication,
} from '../src/requests/request.service.ts'
import { buildStaff, setUpRegion } from './support/builders.ts'
import { databaseKinds, testEnv } from './support/test-deps.ts'

// A synthetic busy year driven through the same use cases the console calls: applications received
// from November 2025 to December 2026, every outcome, corrections, consultations, fees, carry-over
// into 2026 and out of it. The generator decides each application's intended report row itself
// (never through the product's mapping) and tallies the report; the computed report must equal
// that tally in every cell, pass R1–R4, and pass X1 against the 2025 report.

const count = Number(process.env.BUSY_YEAR_APPLICATIONS ?? 2000)
const decisions = ['GRANTED', 'PARTIAL', 'DENY_SECRET', 'DENY_LAW', 'DENY_SECURITY', 'DENY_THIRD_PARTY', 'DENY_INTERNAL', 'DENY_PROCESS', 'DENY_ENFORCEMENT_FILE', 'DENY_QUERY',
  'UNABLE_NOT_HELD', 'UNABLE_NEEDS_CREATION', 'UNABLE_UNCLEAR', 'NP_PETITION', 'NP_PUBLICATION', 'NP_MASSIVE', 'NP_CONFIRM'] as const
type Path = (typeof decisions)[number] | 'NP_REPEAT' | 'OTHER_NO_CORRECTION' | 'OTHER_NO_FEE' | 'OTHER_OTHER' | 'PENDING'
const paths: readonly Path[] = [...decisions, 'NP_REPEAT', 'OTHER_NO_CORRECTION', 'OTHER_NO_FEE', 'OTHER_OTHER', 'PENDING']

function rng(seed: number) {
  let x = seed
  return () => { x = (x * 1103515245 + 12345) % 2147483648; return x / 2147483648 }
}
const addDays = (date: string, n: number) => { const d = new Date(`${date}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + n); return d.toISOString().slice(0, 10) }

const idWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
function idNumber(n: number): string {
  const body = `500231${1960 + (n % 40)}0${1 + (n % 9)}1${n % 10}${String(n % 1000).padStart(3, '0')}`
  const sum = [...body].reduce((a, c, i) => a + Number(c) * idWeights[i]!, 0)
  return body + '10X98765432'[sum % 11]!
}
function creditCode(n: number): string {
  const body = `91500231MA${String(n).padStart(7, '0')}`
  for (const c of '0123456789ABCDEFGHJKLMNPQRTUWXY') if (isValidCreditCode(body + c)) return body + c
  throw new Error('no check character')
}

type Intended = { category: ApplicantCategory; receivedOn: string; concludedOn: string | null; row: string | null }

/** The generator's own tally of one year's section 三, from what it intended. */
function tally(apps: readonly Intended[], year: number): Record<string, number[]> {
  const rows: Record<string, number[]> = {}
  const add = (row: string, c: ApplicantCategory) => {
    const cells = (rows[row] ??= [0, 0, 0, 0, 0, 0, 0])
    cells[applicantCategories.indexOf(c)]! += 1
    cells[6]! += 1
  }
  const start = `${year}-01-01`
  const end = `${year}-12-31`
  for (const a of apps) {
    if (a.receivedOn >= start && a.receivedOn <= end) add('NEW', a.category)
    if (a.receivedOn < start && (a.concludedOn === null || a.concludedOn >= start)) add('CARRIED_IN', a.category)
    if (a.concludedOn && a.concludedOn >= start && a.concludedOn <= end) { add(a.row!, a.category); add('TOTAL', a.category) }
    if (a.receivedOn <= end && (a.concludedOn === null || a.concludedOn > end)) add('CARRIED_OUT', a.category)
  }
  return rows
}

describe.each(databaseKinds)('a busy year on %s', (kind) => {
  test(`${count} applications with every outcome give a 2026 report equal to the generator's tally, passing R1–R4 and X1`, async () => {
    const t = await testEnv(kind, '2027-01-25T02:00:00Z')
    try {
      const { officeId } = await setUpRegion(t.deps)
      const s = await buildStaff(t.deps, { roles: ['handler'] })
      const handler = { ...systemActor('承办人'), id: s.id, agencyId: officeId, roles: ['handler'] }
      const citizen = systemActor('申请人')
      // Made-up 2027 notice (1 January off), so that December's due dates can be counted.
      await recordCalendarYear(t.deps, systemActor(), { year: 2027, source: '测试用 2027 年安排（非真实通知）', holidays: ['2027-01-01'], makeupWorkdays: [] })
      const random = rng(20261126)
      const pick = <T,>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!
      const intended: Intended[] = []
      for (let n = 0; n < count; n++) {
        const category = pick(applicantCategories)
        const path = paths[n % paths.length]!
        const receivedOn = addDays('2025-11-01', Math.floor(random() * 426)) // up to 2026-12-31
        const person = category === 'natural'
        const input = applicationForm.parse({
          applicantKind: person ? 'person' : 'org', category, name: person ? `申请人${n}` : `某某有限公司${n}`, ...(person ? { idType: 'resident_id', idNumber: idNumber(n) } : { creditCode: creditCode(n), contactPerson: `经办人${n}` }),
          phone: `139${String(n).padStart(8, '0')}`, address: `垫江县桂溪街道${n}号`, infoDescription: `第${n}号申请：${['道路', '学校', '医院', '河道', '公交'][n % 5]}${n}相关文件`, wantedForm: 'electronic', deliveryWay: 'online',
        })
        const { id } = await submitApplication(t.deps, citizen, officeId, input, { channel: 'in_person', receivedOn })
        let concludedOn: string | null = addDays(receivedOn, 5 + Math.floor(random() * 40))
        if (concludedOn > '2027-01-25') concludedOn = '2027-01-25'
        let row: string | null = path
        switch (path) {
          case 'PENDING':
            concludedOn = null
            row = null
            break
          case 'OTHER_NO_CORRECTION':
            await requestCorrection(t.deps, handler, id, { on: receivedOn, correctBy: addDays(receivedOn, 10), what: '请写明项目名称' })
            concludedOn = addDays(receivedOn, 11 + Math.floor(random() * 10))
            if (concludedOn > '2027-01-25') { concludedOn = null; row = null; break }
            await concludeWithoutCorrection(t.deps, handler, id, { on: concludedOn })
            break
          case 'OTHER_NO_FEE':
            await notifyFee(t.deps, handler, id, { on: receivedOn, method: 'volume', pages: 50 })
            concludedOn = addDays(receivedOn, 40)
            if (concludedOn > '2027-01-25') { concludedOn = null; row = null; break }
            await concludeWithoutFee(t.deps, handler, id, { on: concludedOn })
            break
          case 'OTHER_OTHER':
            await withdrawApplication(t.deps, handler, id, { on: concludedOn })
            break
          case 'NP_REPEAT': {
            // The same applicant asked the same before and was answered; this one repeats it.
            const earlier = await submitApplication(t.deps, citizen, officeId, input, { channel: 'in_person', receivedOn })
            await decideApplication(t.deps, handler, earlier.id, { on: receivedOn, outcome: 'GRANTED', replyType: '2', basis: '' })
            intended.push({ category, receivedOn, concludedOn: receivedOn, row: 'GRANTED' })
            await decideApplication(t.deps, handler, id, { on: concludedOn, outcome: 'NP_REPEAT', replyType: '6', basis: '条例第三十六条第（六）项', relatedNumber: (await t.deps.db.selectFrom('applications').select('number').where('id', '=', earlier.id).executeTakeFirstOrThrow()).number })
            break
          }
          default: {
            // Some go through a correction or a consultation first.
            if (n % 7 === 0) {
              await requestCorrection(t.deps, handler, id, { on: receivedOn, correctBy: addDays(receivedOn, 10), what: '请写明项目名称' })
              await receiveCorrection(t.deps, handler, id, { on: addDays(receivedOn, 3) })
              if (concludedOn < addDays(receivedOn, 3)) concludedOn = addDays(receivedOn, 3)
            }
            if (n % 5 === 0) {
              await sendConsultation(t.deps, handler, id, { on: receivedOn, party: 'thirdParty', to: '第三方' })
              const ref = (await t.deps.db.selectFrom('application_events').select('id').where('application_id', '=', id).where('kind', '=', 'consultation_sent').executeTakeFirstOrThrow()).id
              await recordConsultationReply(t.deps, handler, id, { on: addDays(receivedOn, 3) > concludedOn ? concludedOn : addDays(receivedOn, 3), ref, opinion: '' })
            }
            if (path === 'NP_MASSIVE') await requestReasons(t.deps, handler, id, { on: receivedOn })
            await decideApplication(t.deps, handler, id, { on: concludedOn, outcome: path, replyType: path.startsWith('DENY') ? '3' : '2', basis: path.startsWith('DENY') || path === 'PARTIAL' ? '依据条例有关条款' : '' })
          }
        }
        intended.push({ category, receivedOn, concludedOn, row })
      }

      const report2025 = computeReport(await recordsOf(t.deps, officeId, 2025), { year: 2025, format: '2021' }).report
      const report2026 = computeReport(await recordsOf(t.deps, officeId, 2026), { year: 2026, format: '2021' }).report
      const expected = tally(intended, 2026)
      for (const [code, cells] of Object.entries(report2026.applications.rows)) expect(cells, code).toEqual(expected[code] ?? [0, 0, 0, 0, 0, 0, 0])
      // Every path was taken, and some applications were carried in and out.
      expect(Object.keys(expected).filter((k) => k.startsWith('OTHER_') || k.startsWith('NP_')).length).toBe(8)
      expect(expected.CARRIED_IN![6]).toBeGreaterThan(0)
      expect(expected.CARRIED_OUT![6]).toBeGreaterThan(0)
      const checks = checkReport(report2026, report2025)
      expect(checks.findings.filter((f) => ['R1', 'R2', 'R3', 'R4', 'X1'].includes(f.rule))).toEqual([])
      expect(checks.notChecked.map((n) => n.rule)).not.toContain('X1')
    } finally {
      await t.close()
    }
  }, 600_000)
})
