import { chineseDate as cn } from '../deadlines/statutory-clock.ts'

// What the applicant is told about the reply period, in one line: the date the agency must answer by
// and the rule that sets it (条例第三十条、第三十二条至第三十五条, 国办函〔2020〕109号), or what the
// clock is waiting for. Pure: the clock's state in, the sentence out.

export type DueFacts = {
  receivedOn: string
  /** Null while the applicant has a correction to make. */
  due: string | null
  provisional: boolean
  /** The reply period counts from this day: the receipt, or the corrected application. */
  countedFrom?: string
  awaitingCorrection?: boolean
  /** An open consultation or an unpaid fee notice stops the clock. */
  paused?: boolean
  /** Set while a fee notice is unpaid: the last day to pay. */
  feePayBy?: string | null
  /** An extension notified to the applicant in time (条例第三十三条第二款). */
  extended?: boolean
  /** A later date set under 条例第三十五条. */
  delayed?: boolean
  /** The 补正 period the notice set, if any. */
  correctBy?: string | null
}

export const provisionalNote =
  '（暂定：下一年度节假日安排尚未公布，暂按周末及《全国年节及纪念日放假办法》按日期固定的节日计算，公布后以实际安排为准）'

/** The one-line explanation of when the agency must reply, or of what the clock is waiting for. */
export function explainDue(f: DueFacts): string {
  if (f.awaitingCorrection || !f.due) {
    const by = f.correctBy
      ? `请于${cn(f.correctBy)}（含当日）前补正，逾期未补正的视为放弃申请`
      : '在合理期限内无正当理由不补正的，视为放弃申请'
    return `等待您补正：${by}；本机关收到补正后的申请之日起重新计算20个工作日的答复期限（条例第三十条）。`
  }
  const due = `本机关应于${cn(f.due)}（含当日）前答复${f.provisional ? provisionalNote : ''}`
  if (f.delayed) return `${due}：申请数量、频次明显超过合理范围，本机关已确定延迟答复的合理期限（条例第三十五条）。`
  const from =
    f.countedFrom && f.countedFrom !== f.receivedOn
      ? `自收到补正后的申请之日（${cn(f.countedFrom)}）起20个工作日（条例第三十条、第三十三条）`
      : '自收到申请之日起20个工作日（条例第三十三条）'
  const extension = f.extended ? '，经负责人同意已延长答复期限并告知您（条例第三十三条第二款）' : ''
  if (f.paused && f.feePayBy)
    return `${due}（按目前情况）：收费通知已发出，请于${cn(f.feePayBy)}（含当日）前缴费，缴费前的期间不计入答复期限（国办函〔2020〕109号）；${from}${extension}。`
  if (f.paused)
    return `${due}（按目前情况）：正在征求第三方或其他机关意见，所需时间不计入答复期限（条例第三十二条、第三十四条）；${from}${extension}。`
  return `${due}：${from}${extension}，征求意见、补正期间不计算在内。`
}
