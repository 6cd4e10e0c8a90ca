import { describe, expect, test } from 'vitest'
import { official } from '../../test/support/official-calendar.ts'
import { reviewClock } from './clock-review.ts'
import type { ClockEvent } from './statutory-clock.ts'

// Every expected date is counted by hand on the 2026 notice (test/support/official-calendar.ts).
// Received 2026-03-02 (Mon), no holiday in March: 3-3…3-6 (4), 3-9…3-13 (9), 3-16…3-20 (14),
// 3-23…3-27 (19), 3-30 (20): due 2026-03-30.
const review = (events: ClockEvent[], asOf: string) => reviewClock(official, '2026-03-02', events, asOf)
const codes = (events: ClockEvent[], asOf: string) => review(events, asOf).problems.map((p) => [p.event, p.code])

describe('the lawful steps of the clock', () => {
  test('arts. 32, 34: an unanswered consultation pauses the clock, and a paused application is not overdue', () => {
    // Counted to 3-20 (14); 3-23…4-02 paused; 4-03 (15), 清明 4-4…4-6, 4-07…4-10 (19), 4-13 (20).
    const c = review([{ kind: 'consultationSent', on: '2026-03-20', party: 'thirdParty', ref: 'a' }], '2026-04-02')
    expect([c.due, c.paused, c.overdue, c.problems]).toEqual(['2026-04-13', true, false, []])
    expect(review([], '2026-04-02')).toMatchObject({ due: '2026-03-30', paused: false, overdue: true })
  })

  test('109号: the 20 working days to pay run from the day after the applicant received the notice', () => {
    // Received 3-13: 3-16…3-20 (5), 3-23…3-27 (10), 3-30…4-03 (15), 清明, 4-07…4-10 (19), 4-13 (20).
    const mailed: ClockEvent = { kind: 'feeNotified', on: '2026-03-10', receivedByApplicantOn: '2026-03-13' }
    expect(review([mailed], '2026-03-20').feePayBy).toBe('2026-04-13')
    // Electronic delivery: from the day it was sent, 3-11…3-13 (3), … 3-30…4-03 (18), 4-07, 4-08 (20).
    expect(review([{ kind: 'feeNotified', on: '2026-03-10' }], '2026-03-20').feePayBy).toBe('2026-04-08')
  })

  test('109号: ending an application for non-payment before the 20 working days have run out is refused', () => {
    const fee: ClockEvent = { kind: 'feeNotified', on: '2026-03-10', receivedByApplicantOn: '2026-03-13' }
    expect(codes([fee, { kind: 'concluded', on: '2026-04-09', outcome: 'OTHER_NO_FEE' }], '2026-04-09')).toEqual([
      [1, 'no_fee_too_early'],
    ])
    expect(codes([fee, { kind: 'concluded', on: '2026-04-13', outcome: 'OTHER_NO_FEE' }], '2026-04-13')).toEqual([
      [1, 'no_fee_too_early'],
    ])
    expect(codes([fee, { kind: 'concluded', on: '2026-04-14', outcome: 'OTHER_NO_FEE' }], '2026-04-14')).toEqual([])
    expect(codes([{ kind: 'concluded', on: '2026-04-14', outcome: 'OTHER_NO_FEE' }], '2026-04-14')).toEqual([
      [0, 'no_fee_without_notice'],
    ])
  })

  test('109号: a fee notice after the reply period has run out is refused', () => {
    const c = review([{ kind: 'feeNotified', on: '2026-03-31' }], '2026-03-31')
    expect(c.problems.map((p) => p.code)).toEqual(['fee_after_due'])
    expect([c.due, c.paused, c.overdue, c.feePayBy]).toEqual(['2026-03-30', false, true, null])
  })

  test('art. 30: a correction asked for after the reply period has run out is refused and does not revive it', () => {
    const c = review([{ kind: 'correctionRequested', on: '2026-04-01' }], '2026-04-02')
    expect(c.problems.map((p) => p.code)).toEqual(['correction_after_due'])
    expect(c.problems[0]!.message).toContain('2026年3月30日')
    expect([c.due, c.awaitingCorrection, c.overdue]).toEqual(['2026-03-30', false, true])
  })

  test('art. 30: a correction notice after the 7 working days is accepted and marked late; a second one is refused', () => {
    // 7 working days: 3-3…3-6 (4), 3-9, 3-10, 3-11 (7).
    const late: ClockEvent = { kind: 'correctionRequested', on: '2026-03-12' }
    const c = review([late], '2026-03-12')
    expect(c.problems).toEqual([])
    expect(c.steps.at(-1)!.text).toMatch(/应于2026年3月11日前发出，已逾期/)
    expect(codes([late, { ...late, on: '2026-03-13' }], '2026-03-13')).toEqual([[1, 'correction_repeated']])
  })

  test('art. 33 para. 2: an extension counts only with its notice issued within the reply period', () => {
    const approved = { kind: 'extensionApproved', on: '2026-03-30', days: 20 } as const
    // Notice after the due date: refused, the due date stays.
    const late = review([{ ...approved, noticeIssuedOn: '2026-04-02' }], '2026-04-02')
    expect(late.problems.map((p) => p.code)).toEqual(['extension_notice_late'])
    expect(late.due).toBe('2026-03-30')
    // Approval alone does not move the due date.
    expect(review([approved], '2026-03-30')).toMatchObject({ due: '2026-03-30', problems: [] })
    // Notified on the due date: 3-31…4-03 (4), 清明, 4-07…4-10 (8), 4-13…4-17 (13), 4-20…4-24 (18),
    // 4-27, 4-28 (20).
    expect(review([{ ...approved, noticeIssuedOn: '2026-03-30' }], '2026-03-30').due).toBe('2026-04-28')
  })

  test('art. 33 para. 2: an extension of more than 20 working days, or approved after the due date, is refused', () => {
    const ext = { kind: 'extensionApproved', on: '2026-03-20', noticeIssuedOn: '2026-03-20' } as const
    expect(codes([{ ...ext, days: 21 }], '2026-03-20')).toEqual([[0, 'extension_too_long']])
    expect(
      codes(
        [
          { ...ext, days: 10 },
          { ...ext, days: 10 },
        ],
        '2026-03-20',
      ),
    ).toEqual([[1, 'extension_repeated']])
    expect(
      codes([{ kind: 'extensionApproved', on: '2026-03-31', days: 5, noticeIssuedOn: '2026-03-31' }], '2026-03-31'),
    ).toEqual([[0, 'extension_after_due']])
  })

  test('art. 35: a delayed reply period is refused unless the reasons were asked for first', () => {
    const delay: ClockEvent = { kind: 'delaySet', on: '2026-03-10', until: '2026-05-29' }
    const refused = review([delay], '2026-03-10')
    expect([refused.due, refused.problems.map((p) => p.code)]).toEqual(['2026-03-30', ['delay_without_reasons']])
    const lawful = review([{ kind: 'reasonsRequested', on: '2026-03-05' }, delay], '2026-03-10')
    expect([lawful.due, lawful.problems]).toEqual(['2026-05-29', []])
  })

  test('a due date in a year whose notice is not recorded is provisional, with the fixed-date holidays (暂定)', () => {
    // 12-11 (1), 12-14…12-18 (6), 12-21…12-25 (11), 12-28…12-31 (15); 元旦 1-1 fixed by date;
    // 2027-1-4…1-8 (20).
    const c = reviewClock(official, '2026-12-10', [], '2026-12-10')
    expect([c.due, c.provisional]).toEqual(['2027-01-08', true])
    expect(c.steps.at(-1)!.text).toMatch(/^暂定：2027 年放假安排尚未录入/)
    expect(review([], '2026-03-02').provisional).toBe(false)
  })
})
