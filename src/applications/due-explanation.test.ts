import { expect, test } from 'vitest'
import { explainDue } from './due-explanation.ts'

// The one line the applicant reads under the due date: what applies now. Dates are literals.

const base = { receivedOn: '2026-03-02', due: '2026-03-30', provisional: false }

test('条例第三十三条: a new application is answered within 20 working days of receipt, consultations and 补正 not counted', () => {
  expect(explainDue(base)).toBe(
    '本机关应于2026年3月30日（含当日）前答复：自收到申请之日起20个工作日（条例第三十三条），征求意见、补正期间不计算在内。',
  )
})

test('条例第三十三条第二款: an extension notified to the applicant is said to apply', () => {
  expect(explainDue({ ...base, due: '2026-04-28', extended: true })).toContain(
    '2026年4月28日（含当日）前答复：自收到申请之日起20个工作日（条例第三十三条），经负责人同意已延长答复期限并告知您（条例第三十三条第二款）',
  )
})

test('国办函〔2020〕109号: while a fee notice is unpaid the applicant is told the last day to pay and that the time does not count', () => {
  expect(explainDue({ ...base, paused: true, feePayBy: '2026-04-13' })).toContain(
    '收费通知已发出，请于2026年4月13日（含当日）前缴费，缴费前的期间不计入答复期限（国办函〔2020〕109号）',
  )
})

test('条例第三十条: while a 补正 is awaited the applicant is told by when, or that without a reply in reasonable time it is treated as withdrawn', () => {
  expect(explainDue({ ...base, due: null, awaitingCorrection: true, correctBy: '2026-03-20' })).toContain(
    '等待您补正：请于2026年3月20日（含当日）前补正，逾期未补正的视为放弃申请',
  )
  expect(explainDue({ ...base, due: null, awaitingCorrection: true })).toContain(
    '在合理期限内无正当理由不补正的，视为放弃申请',
  )
})

test('条例第三十五条: a later date set for an excessive application is said to be that', () => {
  expect(explainDue({ ...base, due: '2026-06-30', delayed: true })).toContain(
    '确定延迟答复的合理期限（条例第三十五条）',
  )
})
