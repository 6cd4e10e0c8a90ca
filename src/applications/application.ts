import { z } from 'zod'
import type { Actor, StaffActor } from '../audit/audit.ts'
import { isValidCreditCode } from '../agencies/credit-code.ts'
import { isValidIdNumber } from '../confidentiality/scan-rules.ts'
import { format2021 } from '../reports/report-format.ts'
import { outcomeCodes } from '../reports/report-records.ts'
import type { OutcomeCode } from '../reports/report-records.ts'
import { AppError } from '../errors.ts'
import type { ApplicationRow } from '../storage/database.ts'
import type { ClockEvent } from '../deadlines/statutory-clock.ts'

// Disclosure on request (条例 arts. 27–45, law-and-format.md §1.4): what an application holds,
// how each channel fixes the receipt date (art. 31), and the form a citizen fills in. No purpose is
// asked for: the 2019 条例 dropped it. Below the form, the rules with no I/O: the statuses and the
// moves between them, dates, the screening of a new application, masking, and who may see what.

export const channels = {
  online: '网上申请',
  in_person: '当面提交',
  mail_signed: '邮寄（需签收）',
  mail_unsigned: '平信（电话确认）',
  email: '电子邮件',
  fax: '传真',
  oral: '口头申请（工作人员代为填写）',
  other: '其他渠道',
} as const
export type Channel = keyof typeof channels

/** What the receipt date of each channel is (art. 31, 国办公开办函〔2015〕207号). */
export const receiptRule: Record<Channel, string> = {
  online: '双方确认之日（提交后系统即时出具回执，提交日即为确认日）',
  in_person: '申请人提交之日',
  mail_signed: '本机关签收之日',
  mail_unsigned: '收到当日与申请人电话确认之日',
  email: '双方确认之日',
  fax: '双方确认之日',
  oral: '工作人员代为填写、申请人确认之日',
  other: '双方确认之日',
}

export const applicantCategoryLabels = {
  natural: '自然人',
  commercial: '商业企业',
  research: '科研机构',
  publicInterest: '社会公益组织',
  legalService: '法律服务机构',
  otherOrg: '其他组织',
} as const

export const idTypes = {
  resident_id: '居民身份证',
  passport: '护照',
  hk_macao: '港澳居民来往内地通行证',
  taiwan: '台湾居民来往大陆通行证',
  foreign_permanent: '外国人永久居留身份证',
  other: '其他有效身份证件',
} as const

export const wantedForms = { paper: '纸质', electronic: '电子文档', viewing: '当场查阅' } as const
export const deliveryWays = { post: '邮寄', email: '电子邮件', pickup: '当面领取', online: '网上获取' } as const

export const statusLabels = { open: '办理中', correction: '等待补正', concluded: '已办结' } as const
export type ApplicationStatus = keyof typeof statusLabels

// An open application may wait for a correction (art. 30) and come back; any open one may be
// concluded (a decision, a withdrawal, an abandoned correction or fee); a concluded one stays so.
const nextStatuses: Record<ApplicationStatus, readonly ApplicationStatus[]> = {
  open: ['correction', 'concluded'],
  correction: ['open', 'concluded'],
  concluded: [],
}

export const canMove = (from: string | null, to: ApplicationStatus): boolean =>
  from !== null && from in nextStatuses && nextStatuses[from as ApplicationStatus].includes(to)

/** The seven reply types of art. 36, kept beside the outcome (spec §8.1 item 9). */
export const replyTypes = {
  '1': '（一）已主动公开，告知获取方式和途径',
  '2': '（二）予以公开，提供或告知获取方式、途径和时间',
  '3': '（三）不予公开，告知并说明理由',
  '4': '（四）经检索没有所申请公开信息，告知不存在',
  '5': '（五）不属于本机关负责公开，告知并说明理由',
  '6': '（六）重复申请，告知不予重复处理',
  '7': '（七）法律、行政法规另有规定，告知按有关规定办理',
  none: '不适用（不作为政府信息公开申请处理、视为放弃等）',
} as const

/** The outcomes as the 2021 report names them, with their group (（三）不予公开 …). */
export const outcomeOptions = format2021.applicationRows
  .filter((r) => r.outcome)
  .map((r) => ({
    code: r.code as OutcomeCode,
    label: r.group
      ? `${r.group.replace(/^（.）/, '')}：${r.label.replace(/^\d+\./, '')}`
      : r.label.replace(/^（.）/, ''),
  }))
export const outcomeLabel = (code: string) => outcomeOptions.find((o) => o.code === code)?.label ?? code

const text = (label: string, max: number) =>
  z
    .string({ error: `请填写${label}` })
    .trim()
    .min(1, `请填写${label}`)
    .max(max, `${label}不超过 ${max} 字`)
const optional = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => v || undefined)

/** The application form, on the portal and (with the channel and receipt date) in the console. */
export const applicationForm = z
  .object({
    applicantKind: z.enum(['person', 'org'], { error: '请选择申请人类型' }),
    category: z.enum(['natural', 'commercial', 'research', 'publicInterest', 'legalService', 'otherOrg'], {
      error: '请选择申请人类型',
    }),
    name: text('姓名或名称', 100),
    contactPerson: optional(50),
    // An empty select means "not given": organisations may leave it (art. 29 asks a person's 身份证明);
    // a person's missing ID type is refused below.
    idType: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z
        .enum(['resident_id', 'passport', 'hk_macao', 'taiwan', 'foreign_permanent', 'other'], {
          error: '请选择列出的身份证件类型',
        })
        .optional(),
    ),
    idNumber: optional(40),
    creditCode: optional(18),
    phone: z
      .string()
      .trim()
      .regex(/^(?:1\d{10}|0\d{2,3}-?\d{7,8}(?:-\d{1,6})?)$/, '请填写正确的手机号码或固定电话（区号-号码）'),
    email: z
      .string()
      .trim()
      .max(200)
      .optional()
      .transform((v) => v || undefined)
      .pipe(z.email('电子邮箱格式不正确').optional()),
    address: text('通信地址', 200),
    postcode: z
      .string()
      .trim()
      .optional()
      .transform((v) => v || undefined)
      .pipe(
        z
          .string()
          .regex(/^\d{6}$/, '邮政编码为 6 位数字')
          .optional(),
      ),
    infoTitle: optional(200),
    infoDocNumber: optional(100),
    infoDescription: text('所需信息的内容描述', 2000),
    wantedForm: z.enum(['paper', 'electronic', 'viewing'], { error: '请选择所需信息的形式' }),
    deliveryWay: z.enum(['post', 'email', 'pickup', 'online'], { error: '请选择获取信息的方式' }),
    needsAssistance: z.preprocess((v) => v === 'on' || v === 'true' || v === true, z.boolean()).default(false),
  })
  .superRefine((v, ctx) => {
    if (v.applicantKind === 'person' && v.category !== 'natural')
      ctx.addIssue({ code: 'custom', path: ['category'], message: '自然人申请请选择“自然人”' })
    if (v.applicantKind === 'org' && v.category === 'natural')
      ctx.addIssue({ code: 'custom', path: ['category'], message: '请选择组织类型（商业企业、科研机构等）' })
    if (v.applicantKind === 'person') {
      if (!v.idType) ctx.addIssue({ code: 'custom', path: ['idType'], message: '请选择身份证件类型' })
      if (!v.idNumber) ctx.addIssue({ code: 'custom', path: ['idNumber'], message: '请填写身份证件号码' })
      else if (v.idType === 'resident_id' && !isValidIdNumber(v.idNumber.toUpperCase()))
        ctx.addIssue({
          code: 'custom',
          path: ['idNumber'],
          message: '居民身份证号码不正确（请核对出生日期和最后一位校验码）',
        })
    } else {
      if (!v.creditCode) ctx.addIssue({ code: 'custom', path: ['creditCode'], message: '请填写统一社会信用代码' })
      else if (!isValidCreditCode(v.creditCode.toUpperCase()))
        ctx.addIssue({
          code: 'custom',
          path: ['creditCode'],
          message: '统一社会信用代码不正确（请核对最后一位校验码）',
        })
      if (!v.contactPerson) ctx.addIssue({ code: 'custom', path: ['contactPerson'], message: '请填写联系人姓名' })
      if (v.idNumber && v.idType === 'resident_id' && !isValidIdNumber(v.idNumber.toUpperCase()))
        ctx.addIssue({ code: 'custom', path: ['idNumber'], message: '联系人居民身份证号码不正确' })
    }
    if (!v.infoTitle && !v.infoDocNumber && v.infoDescription.length < 4)
      ctx.addIssue({
        code: 'custom',
        path: ['infoDescription'],
        message: '请写明所需信息的名称、文号或能够确定该信息的描述',
      })
    if (v.deliveryWay === 'email' && !v.email)
      ctx.addIssue({ code: 'custom', path: ['email'], message: '选择电子邮件方式时请填写电子邮箱' })
  })
export type ApplicationInput = z.infer<typeof applicationForm>

export const registrationForm = z.object({
  channel: z.enum(['in_person', 'mail_signed', 'mail_unsigned', 'email', 'fax', 'oral', 'other'], {
    error: '请选择收到申请的渠道',
  }),
  receivedOn: z.string({ error: '请填写收到申请之日' }).regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD'),
})

export { outcomeCodes }

export const deliveryMethods = {
  direct: '直接送达（申请人签收）',
  entrusted: '委托其他行政机关送达',
  post: '邮寄送达（交邮政企业）',
  email: '电子邮件',
  online: '网上送达',
} as const
export type DeliveryMethod = keyof typeof deliveryMethods

/** The outcomes that must state the articles and reasons they rest on (art. 36 (三), spec §8.3). */
export const denyCodes: ReadonlySet<string> = new Set([
  'DENY_SECRET',
  'DENY_LAW',
  'DENY_SECURITY',
  'DENY_THIRD_PARTY',
  'DENY_INTERNAL',
  'DENY_PROCESS',
  'DENY_ENFORCEMENT_FILE',
  'DENY_QUERY',
])

/** Today in Beijing, as a calendar date. */
export const shanghaiDate = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10)

export const addDays = (date: string, n: number) => {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}

const dateOnly = /^\d{4}-\d{2}-\d{2}$/
export const isDate = (value: string) => dateOnly.test(value)

/** A step's date: a real date, not in the future, and not before the step it follows. */
export function checkDate(value: string, field: string, label: string, today: string, notBefore?: string): void {
  if (!dateOnly.test(value) || Number.isNaN(Date.parse(value)))
    throw new AppError('invalid_input', `${label}格式应为 YYYY-MM-DD`, { [field]: '日期格式应为 YYYY-MM-DD' })
  if (value > today) throw new AppError('invalid_input', `${label}不能晚于今天`, { [field]: '不能晚于今天' })
  if (notBefore && value < notBefore)
    throw new AppError('invalid_input', `${label}不能早于${notBefore}`, { [field]: `不能早于${notBefore}` })
}

export const normaliseRequest = (s: string) => s.replace(/[\s\p{P}\p{S}]/gu, '').toLowerCase()

/** Substantially the same request: the texts share at least 80% of their character bigrams. */
export function similar(a: string, b: string): boolean {
  if (!a || !b) return false
  if (a === b) return true
  const grams = (s: string) => {
    const c = [...s]
    const out = new Set<string>()
    for (let i = 0; i + 1 < c.length; i++) out.add(c[i]! + c[i + 1]!)
    return out
  }
  const ga = grams(a)
  const gb = grams(b)
  let common = 0
  for (const g of ga) if (gb.has(g)) common++
  return common / Math.max(ga.size, gb.size, 1) >= 0.8
}

/** An earlier application of the same applicant to the same agency, as the screening reads it. */
export type EarlierApplication = {
  id: number
  received_on: string
  outcome: string | null
  info_title: string | null
  info_description: string | null
}

/**
 * The flags a new application carries for the handler (art. 35 leaves the judgement to the agency):
 * a same-day duplicate (the same request of the same applicant received the same day: sent twice), a possible repeat of a substantially similar request of the same applicant answered within the
 * last year (art. 36 (六)), and a frequent applicant, from `frequentThreshold` applications in 30
 * days counting this one and those before it in the same batch. `earlier` is newest first.
 */
export function screenApplication(input: {
  earlier: readonly EarlierApplication[]
  receivedOn: string
  request: string
  sameBatch: number
  frequentThreshold: number
}): { flags: string[]; repeatOf: number | undefined } {
  const lastYear = input.earlier.filter((r) => r.received_on >= addDays(input.receivedOn, -365))
  const request = normaliseRequest(input.request)
  const repeat = lastYear.find(
    (r) =>
      r.outcome &&
      !r.outcome.startsWith('OTHER_') &&
      similar(normaliseRequest(`${r.info_title ?? ''}${r.info_description ?? ''}`), request),
  )
  // The same request from the same applicant received the same day, answered or not: likely sent twice.
  const sameDay = input.earlier.find(
    (r) =>
      r.received_on === input.receivedOn &&
      similar(normaliseRequest(`${r.info_title ?? ''}${r.info_description ?? ''}`), request),
  )
  const lastMonth = lastYear.filter((r) => r.received_on >= addDays(input.receivedOn, -30)).length
  const flags: string[] = []
  if (sameDay) flags.push('same_day_duplicate')
  if (repeat) flags.push('possible_repeat')
  if (lastMonth + input.sameBatch + 1 >= input.frequentThreshold) flags.push('frequent')
  return { flags, repeatOf: sameDay?.id ?? repeat?.id }
}

export const maskName = (name: string) => {
  const c = [...name]
  return c.length <= 1 ? '*' : c.length === 2 ? `${c[0]}*` : `${c[0]}${'*'.repeat(c.length - 2)}${c.at(-1)}`
}

export const maskTail = (s: string | null, keep = 4) =>
  s ? `${'*'.repeat(Math.max(0, [...s].length - keep))}${s.slice(-keep)}` : null

/** A step of an application's timeline, as recorded. */
export type ApplicationEvent = {
  id: number
  kind: string
  on: string
  detail: Record<string, unknown>
  actorName: string
  at: string
}

/** The timeline steps that move the statutory clock, in its own terms. */
export type DatedRow = { status: string | null; due_on: string | null; paused_since: string | null }

/** Past its due date and not concluded; an application whose clock is stopped (arts. 32, 34; 109号) is not overdue. */
export const isOverdue = (r: DatedRow, today: string) =>
  r.status !== null && r.status !== 'concluded' && !r.paused_since && !!r.due_on && r.due_on < today

export function clockEvents(events: readonly ApplicationEvent[]): ClockEvent[] {
  const out: ClockEvent[] = []
  // Steps recorded later that complete an earlier one: the day a posted fee notice was received
  // (109号), the day the extension notice was issued (条例第三十三条第二款).
  const feeReceivedOn = events.find((e) => e.kind === 'fee_notice_received')?.on
  const extensionNotifiedOn = events.find((e) => e.kind === 'extension_notified')?.on
  for (const e of events) {
    const d = e.detail
    if (e.kind === 'correction_requested')
      out.push({ kind: 'correctionRequested', on: e.on, correctBy: String(d.correctBy) })
    else if (e.kind === 'correction_received') out.push({ kind: 'correctionReceived', on: e.on })
    else if (e.kind === 'consultation_sent')
      out.push({
        kind: 'consultationSent',
        on: e.on,
        party: d.party === 'agency' ? 'agency' : 'thirdParty',
        ref: String(e.id),
      })
    else if (e.kind === 'consultation_replied') out.push({ kind: 'consultationReplied', on: e.on, ref: String(d.ref) })
    // 条例第三十三条第二款: an extension counts from the issue of its notice letter. Older extensions
    // carry the notice date they were recorded with, or were notified on the day they were approved.
    else if (e.kind === 'extension_approved') {
      const notice = d.noticeByLetter ? extensionNotifiedOn : d.noticeIssuedOn ? String(d.noticeIssuedOn) : e.on
      out.push({
        kind: 'extensionApproved',
        on: e.on,
        days: Number(d.days),
        ...(notice ? { noticeIssuedOn: notice } : {}),
      })
    } else if (e.kind === 'fee_notified') {
      const received = d.receivedByApplicantOn ? String(d.receivedByApplicantOn) : feeReceivedOn
      out.push({
        kind: 'feeNotified',
        on: e.on,
        ...(received ? { receivedByApplicantOn: received } : d.delivery === 'post' ? { receiptPending: true } : {}),
      })
    } else if (e.kind === 'fee_paid') out.push({ kind: 'feePaid', on: e.on })
    else if (e.kind === 'reasons_requested') out.push({ kind: 'reasonsRequested', on: e.on })
    else if (e.kind === 'delay_set') out.push({ kind: 'delaySet', on: e.on, until: String(d.until) })
  }
  return out
}

/** How a fee notice reached the applicant (109号; 国办公开办函〔2016〕235号): electronic and in person on the day sent. */
export const feeDeliveries = { electronic: '电子送达', post: '邮寄', in_person: '当面送达' } as const
export type FeeDelivery = keyof typeof feeDeliveries

// Event details hold dates, counts and codes; free text is kept out of the audit log.
export const publicDetail = (d: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(d).filter(([k]) => !['note', 'opinion', 'what', 'to', 'reason'].includes(k)))

/** An application of the actor's own agency (never another agency's, AC-03). */
export const isOwnApplication = (actor: Actor, application: ApplicationRow): boolean =>
  application.agency_id === actor.agencyId && !!application.status

/** Personal data (full details, files, letters) is for the application's own handler and the office head. */
export const maySeePersonalData = (actor: StaffActor, application: ApplicationRow): boolean =>
  application.handler_id === actor.id || actor.roles.includes('office_head')

export type ApplicantDetails = {
  name: string
  contactPerson: string | null
  idNumber: string | null
  phone: string | null
  email: string | null
  address: string | null
}

export type Submission = {
  id: number
  number: string
  /** Shown once, on the first answer; null on a repeat: only its hash is kept (issue #14). */
  queryCode: string | null
  repeated: boolean
  receivedOn: string
  due: string | null
  /** The due date is 暂定: it runs into a year whose holiday notice is not recorded yet. */
  dueProvisional?: boolean
}

export type PublicStatus = {
  number: string
  status: string
  receivedOn: string
  due: string | null
  outcome: string | null
  decidedOn: string | null
  steps: { on: string; text: string }[]
  letters: { id: number; kind: string; issuedOn: string }[]
}

export const defaultRetentionYears = 10

/** The day before which a concluded application's personal data is erased, `years` back from today. */
export const retentionCutoff = (today: string, years: number) => `${Number(today.slice(0, 4)) - years}${today.slice(4)}`

/** The tracking queues of the console. */
export const queues = ['overdue', 'soon', 'open', 'correction', 'concluded', 'all'] as const
export type Queue = (typeof queues)[number]

/**
 * 三（四）3 "补正后申请内容仍不明确" closes an application only after a 补正 was asked for and the corrected
 * application came in (条例 art. 30: an unclear application is first sent back for correction, once).
 */
export const mayConcludeAsUnclear = (eventKinds: readonly string[]): boolean =>
  eventKinds.includes('correction_requested') && eventKinds.includes('correction_received')
