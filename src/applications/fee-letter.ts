import { perPieceBand, perVolumeBands, statutoryClock } from '../deadlines/statutory-clock.ts'
import type { FeeBand } from '../deadlines/statutory-clock.ts'

// The 收取信息处理费通知书 (条例第四十二条, 国办函〔2020〕109号): it states the basis (按件 or 按量 and
// why), the standard (the tiers), the amount tier by tier and in total, how to pay (the agency's
// 缴纳方式) and by when: 20 working days from the day after the applicant receives the notice — the
// very date the clock enforces when the receipt is known, else the period itself.

export type FeeFacts = Readonly<{
  method: 'piece' | 'volume'
  /** 按件: the application's rank among the applicant's applications of the natural month. */
  rank?: number | undefined
  /** 按件: the natural month, YYYY-MM. */
  month?: string | undefined
  /** 按量: the pages. */
  pages?: number | undefined
  amount: number
  payment: string
  /** The last day to pay, when the day the applicant receives the notice is known. */
  payBy?: string | undefined
}>

const cn = (date: string) => `${Number(date.slice(0, 4))}年${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`
const monthCn = (month: string) => `${Number(month.slice(0, 4))}年${Number(month.slice(5, 7))}月`

const law = '《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）'

/** Why this method applies to this application (109号: 按件 by the month's count, 按量 by pages). */
export function feeBasisText(fee: FeeFacts): string {
  return fee.method === 'piece'
    ? `本申请为您${fee.month ? `在${monthCn(fee.month)}（自然月）内` : '在同一自然月内'}向本机关提出的第${fee.rank ?? '（件数）'}件政府信息公开申请，超过10件，按件计收`
    : `您申请获取的政府信息共${fee.pages ?? '（页数）'}页，超过30页，按量计收`
}

/** The tiers of the method chosen (109号, 超额累进). */
export function feeStandardText(method: FeeFacts['method']): string {
  return method === 'piece'
    ? '同一申请人一个自然月内累计申请10件以下（含10件）的，不收费；11—30件（含30件）的部分，收费标准为100元/件；30件以上的部分，以10件为一档，每增加一档，收费标准提高100元/件'
    : '同一申请中，30页以下（含30页）的，不收费；31—100页（含100页）的部分，收费标准为10元/页；101—200页（含200页）的部分，收费标准为20元/页；200页以上的部分，收费标准为40元/页'
}

const bandText = (b: FeeBand, unit: '件' | '页') =>
  `${b.to === null ? `${b.from}${unit}以上` : `${b.from}至${b.to}${unit}`}：${b.units}${unit}×${b.rate}元＝${b.amount}元`

/** The amount tier by tier, e.g. "31至100页：70页×10元＝700元". */
export function feeBreakdownText(fee: FeeFacts): string {
  if (fee.method === 'piece') return fee.rank ? `第${bandText(perPieceBand(fee.rank), '件')}` : '（计费明细）'
  return fee.pages
    ? perVolumeBands(fee.pages)
        .map((b) => bandText(b, '页'))
        .join('；')
    : '（计费明细）'
}

const days = statutoryClock.feePayDays

/** When to pay: the exact date once the receipt is known, else the period from receipt. */
export function feePayByText(fee: FeeFacts): string {
  return fee.payBy
    ? `请于${cn(fee.payBy)}前（含当日）缴纳（即自您收到本通知书之次日起${days}个工作日内）`
    : `请自收到本通知书之次日起${days}个工作日内缴纳`
}

/** The paragraphs of the fee notice after the salutation and the application it concerns. */
export function feeNoticeLines(fee: FeeFacts | undefined): string[] {
  if (!fee) return ['（收费事项）']
  return [
    `根据《中华人民共和国政府信息公开条例》第四十二条和${law}的规定，您的申请应当缴纳信息处理费。收费依据：${feeBasisText(fee)}。`,
    `收费标准（${fee.method === 'piece' ? '按件计收' : '按量计收'}，超额累进）：${feeStandardText(fee.method)}。`,
    `计费明细：${feeBreakdownText(fee)}。应缴纳信息处理费合计人民币${fee.amount}元。`,
    `缴纳方式：${fee.payment.trim().replace(/[。；;，,\s]+$/u, '')}。`,
    `${feePayByText(fee)}。逾期未缴纳的，视为放弃申请，本机关将不再处理该申请。`,
  ]
}

/** The placeholders an agency's own fee template may use. */
export function feeTemplateValues(fee: FeeFacts | undefined): Record<string, string> {
  return {
    收费金额: fee ? String(fee.amount) : '',
    收费依据: fee ? feeBasisText(fee) : '',
    收费标准: fee ? feeStandardText(fee.method) : '',
    收费计算: fee ? feeBreakdownText(fee) : '',
    缴纳方式: fee?.payment ?? '',
    缴费期限: fee?.payBy ? cn(fee.payBy) : `收到本通知书之次日起${days}个工作日`,
    缴费要求: fee ? feePayByText(fee) : '',
  }
}
