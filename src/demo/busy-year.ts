import { isValidCreditCode } from '../agencies/credit-code.ts'
import type { Actor } from '../audit/audit.ts'
import { systemActor } from '../audit/audit.ts'
import type { Deps } from '../deps.ts'
import { applicantCategories } from '../reports/report-records.ts'
import type { ApplicantCategory } from '../reports/report-records.ts'
import { applicationForm } from '../applications/application.ts'
import {
  concludeWithoutCorrection,
  concludeWithoutFee,
  notifyFee,
  receiveCorrection,
  recordConsultationReply,
  requestCorrection,
  sendConsultation,
} from '../applications/application.service.ts'
import { decideApplication, requestReasons, withdrawApplication } from '../applications/decision.service.ts'
import { submitApplication } from '../applications/intake.service.ts'
import { saveFeePayment } from '../applications/settings.service.ts'

// A busy year of applications driven through the same use cases the console calls: received from
// November of the year before to December of `year`, every outcome, corrections, consultations,
// fees, withdrawals, carry-over in and out. The generator decides each application's intended report
// row itself (never through the product's mapping) so that a test — or the demo — can hold the
// computed report against its own tally.

const decisions = [
  'GRANTED',
  'PARTIAL',
  'DENY_SECRET',
  'DENY_LAW',
  'DENY_SECURITY',
  'DENY_THIRD_PARTY',
  'DENY_INTERNAL',
  'DENY_PROCESS',
  'DENY_ENFORCEMENT_FILE',
  'DENY_QUERY',
  'UNABLE_NOT_HELD',
  'UNABLE_NEEDS_CREATION',
  'UNABLE_UNCLEAR',
  'NP_PETITION',
  'NP_PUBLICATION',
  'NP_MASSIVE',
  'NP_CONFIRM',
] as const
type Path =
  (typeof decisions)[number] | 'NP_REPEAT' | 'OTHER_NO_CORRECTION' | 'OTHER_NO_FEE' | 'OTHER_OTHER' | 'PENDING'
const paths: readonly Path[] = [
  ...decisions,
  'NP_REPEAT',
  'OTHER_NO_CORRECTION',
  'OTHER_NO_FEE',
  'OTHER_OTHER',
  'PENDING',
]

// The reason each refusal gives in its own words; the letter adds the article (条例 arts. 14–16, 37).
const reasons: Partial<Record<Path, string>> = {
  PARTIAL: '报价明细涉及投标企业的商业秘密，已作区分处理',
  DENY_SECRET: '所申请的会议纪要已依法定为秘密级国家秘密',
  DENY_LAW: '所申请的信息属于《中华人民共和国统计法》规定不得对外提供的统计调查对象资料',
  DENY_SECURITY: '所申请的重点目标安全防范方案公开后可能危及公共安全',
  DENY_THIRD_PARTY: '所申请的信息含有他人的身份证件号码和家庭住址，第三方不同意公开',
  DENY_INTERNAL: '所申请的信息为本机关干部年度考核的内部管理材料',
  DENY_PROCESS: '所申请的信息为尚未定稿的方案讨论稿',
  DENY_ENFORCEMENT_FILE: '所申请的信息为行政处罚案件的调查询问笔录',
}
// Art. 36 (七): real-estate records are queried under their own regulations, at the registry.
const registrationQuery = {
  queryLaw: '《不动产登记暂行条例》和《不动产登记资料查询暂行办法》',
  queryOffice: '垫江县不动产登记中心',
}

export type Intended = {
  category: ApplicantCategory
  receivedOn: string
  concludedOn: string | null
  row: string | null
}

function rng(seed: number) {
  let x = seed
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648
    return x / 2147483648
  }
}
const addDays = (date: string, n: number) => {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}

const idWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
export function syntheticIdNumber(n: number): string {
  const body = `500231${1960 + (n % 40)}0${1 + (n % 9)}1${n % 10}${String(n % 1000).padStart(3, '0')}`
  const sum = [...body].reduce((a, c, i) => a + Number(c) * idWeights[i]!, 0)
  return body + '10X98765432'[sum % 11]!
}
export function syntheticCreditCode(n: number, prefix = '91500231MA'): string {
  const body = `${prefix}${String(n).padStart(17 - prefix.length, '0')}`
  for (const c of '0123456789ABCDEFGHJKLMNPQRTUWXY') if (isValidCreditCode(body + c)) return body + c
  throw new Error('no check character')
}

/** The generator's own tally of one year's section 三, from what it intended. */
export function tallyIntended(apps: readonly Intended[], year: number): Record<string, number[]> {
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
    if (a.concludedOn && a.concludedOn >= start && a.concludedOn <= end) {
      add(a.row!, a.category)
      add('TOTAL', a.category)
    }
    if (a.receivedOn <= end && (a.concludedOn === null || a.concludedOn > end)) add('CARRIED_OUT', a.category)
  }
  return rows
}

/** Drives `count` applications for `year` (the clock must stand after `year`-01-25 of the next year). */
export async function generateBusyYear(
  deps: Deps,
  handler: Actor & { id: number; agencyId: number },
  year: number,
  count: number,
  seed = 20261126,
): Promise<Intended[]> {
  const agencyId = handler.agencyId
  const citizen = systemActor('申请人')
  const last = `${year + 1}-01-25`
  const random = rng(seed)
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!
  const intended: Intended[] = []
  // A fee notice states how to pay (国办函〔2020〕109号).
  await saveFeePayment(deps, handler, '通过政府非税收入统一缴款平台缴纳，缴款码随本通知书另行告知')
  const span = (Date.UTC(year, 11, 31) - Date.UTC(year - 1, 10, 1)) / 86_400_000 + 1
  for (let n = 0; n < count; n++) {
    const category = pick(applicantCategories)
    const path = paths[n % paths.length]!
    const receivedOn = addDays(`${year - 1}-11-01`, Math.floor(random() * span))
    const person = category === 'natural'
    const input = applicationForm.parse({
      applicantKind: person ? 'person' : 'org',
      category,
      name: person ? `申请人${n}` : `某某有限公司${n}`,
      ...(person
        ? { idType: 'resident_id', idNumber: syntheticIdNumber(n) }
        : { creditCode: syntheticCreditCode(n), contactPerson: `经办人${n}` }),
      phone: `139${String(n).padStart(8, '0')}`,
      address: `垫江县桂溪街道${n}号`,
      infoDescription: `第${n}号申请：${['道路', '学校', '医院', '河道', '公交'][n % 5]}${n}相关文件`,
      wantedForm: 'electronic',
      deliveryWay: 'online',
    })
    const { id } = await submitApplication(deps, citizen, agencyId, input, { channel: 'in_person', receivedOn })
    let concludedOn: string | null = addDays(receivedOn, 5 + Math.floor(random() * 40))
    if (concludedOn > last) concludedOn = last
    let row: string | null = path
    switch (path) {
      case 'PENDING':
        concludedOn = null
        row = null
        break
      case 'OTHER_NO_CORRECTION':
        await requestCorrection(deps, handler, id, {
          on: receivedOn,
          correctBy: addDays(receivedOn, 10),
          what: '请写明项目名称',
        })
        concludedOn = addDays(receivedOn, 11 + Math.floor(random() * 10))
        if (concludedOn > last) {
          concludedOn = null
          row = null
          break
        }
        await concludeWithoutCorrection(deps, handler, id, { on: concludedOn })
        break
      case 'OTHER_NO_FEE':
        await notifyFee(deps, handler, id, { on: receivedOn, method: 'volume', pages: 50 })
        concludedOn = addDays(receivedOn, 40)
        if (concludedOn > last) {
          concludedOn = null
          row = null
          break
        }
        await concludeWithoutFee(deps, handler, id, { on: concludedOn })
        break
      case 'OTHER_OTHER':
        await withdrawApplication(deps, handler, id, { on: concludedOn })
        break
      case 'NP_REPEAT': {
        // The same applicant asked the same before and was answered; this one repeats it.
        const earlier = await submitApplication(deps, citizen, agencyId, input, { channel: 'in_person', receivedOn })
        await decideApplication(deps, handler, earlier.id, {
          on: receivedOn,
          outcome: 'GRANTED',
          replyType: '2',
          basis: '',
        })
        intended.push({ category, receivedOn, concludedOn: receivedOn, row: 'GRANTED' })
        await decideApplication(deps, handler, id, {
          on: concludedOn,
          outcome: 'NP_REPEAT',
          replyType: '6',
          basis: '条例第三十六条第（六）项',
          relatedNumber: earlier.number,
        })
        break
      }
      default: {
        // 补正后仍不明确 presupposes a 补正 asked for and answered (条例 art. 30).
        if (n % 7 === 0 || path === 'UNABLE_UNCLEAR') {
          await requestCorrection(deps, handler, id, {
            on: receivedOn,
            correctBy: addDays(receivedOn, 10),
            what: '请写明项目名称',
          })
          await receiveCorrection(deps, handler, id, { on: addDays(receivedOn, 3) })
          if (concludedOn < addDays(receivedOn, 3)) concludedOn = addDays(receivedOn, 3)
        }
        // A refusal for a third party's rights follows its consultation (条例第十五条、第三十二条).
        if (n % 5 === 0 || path === 'DENY_THIRD_PARTY') {
          await sendConsultation(deps, handler, id, { on: receivedOn, party: 'thirdParty', to: '第三方' })
          const ref = (
            await deps.db
              .selectFrom('application_events')
              .select('id')
              .where('application_id', '=', id)
              .where('kind', '=', 'consultation_sent')
              .executeTakeFirstOrThrow()
          ).id
          await recordConsultationReply(deps, handler, id, {
            on: addDays(receivedOn, 3) > concludedOn ? concludedOn : addDays(receivedOn, 3),
            ref,
            opinion: '',
          })
        }
        if (path === 'NP_MASSIVE') await requestReasons(deps, handler, id, { on: receivedOn })
        await decideApplication(deps, handler, id, {
          on: concludedOn,
          outcome: path,
          replyType: path === 'DENY_QUERY' ? '7' : path.startsWith('DENY') ? '3' : '2',
          basis: reasons[path] ?? '',
          ...(path === 'DENY_QUERY' ? registrationQuery : {}),
          ...(path === 'PARTIAL' ? { withheldBasis: 'art15' } : {}),
        })
      }
    }
    intended.push({ category, receivedOn, concludedOn, row })
  }
  return intended
}
