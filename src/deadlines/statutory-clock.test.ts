import { describe, expect, test } from 'vitest'
import { CalendarMissing } from './calendar.ts'
import { official, withFixture2027 } from '../../test/support/official-calendar.ts'
import { computeClock, deliveredOnTime, perPieceFee, perVolumeFee, statutoryClock } from './statutory-clock.ts'

describe('the statutory clock', () => {
  test('20 working days run from the day after receipt, over the Spring Festival and both make-up Saturdays', () => {
    // 2-11 (1), 2-12, 2-13, 2-14 Sat make-up (4), festival 2-15…2-23, 2-24…2-27 (8), 2-28 Sat make-up (9),
    // 3-2…3-6 (14), 3-9…3-13 (19), 3-16 (20).
    const c = computeClock(official, '2026-02-10', [], '2026-02-10')
    expect(c.due).toBe('2026-03-16')
    // Seven working days for the 补正 notice: 2-11, 2-12, 2-13, 2-14, 2-24, 2-25, 2-26.
    expect(c.correctionNoticeBy).toBe('2026-02-26')
  })

  test('National Day 2025 with its make-up Sunday before and Saturday after', () => {
    // 9-28 Sun make-up (1), 9-29, 9-30 (3), holiday 10-1…10-8, 10-9, 10-10 (5), 10-11 Sat make-up (6),
    // 10-13…10-17 (11), 10-20…10-24 (16), 10-27…10-30 (20).
    expect(computeClock(official, '2025-09-26', [], '2025-09-26').due).toBe('2025-10-30')
  })

  test('a correction restarts the clock, a consultation stops it, an extension adds 20 working days across 端午', () => {
    const events = [
      { kind: 'correctionRequested', on: '2026-04-29', correctBy: '2026-05-15' },
      { kind: 'correctionReceived', on: '2026-05-08' },
      { kind: 'consultationSent', on: '2026-05-20', party: 'thirdParty', ref: 'a' },
      { kind: 'consultationReplied', on: '2026-05-27', ref: 'a' },
      { kind: 'extensionApproved', on: '2026-06-05', days: 20, noticeIssuedOn: '2026-06-05' },
    ] as const
    const c = computeClock(official, '2026-04-27', events, '2026-06-05')
    // Restart from 5-08: 5-09 Sat make-up (1), 5-11…5-15 (6), 5-18, 5-19, 5-20 (9); 5-21…5-27 do not count;
    // 5-28, 5-29 (11), 6-1…6-5 (16), 6-8…6-11 (20). Extension: 6-12 (1), 6-15…6-18 (5), 端午 6-19,
    // 6-22…6-26 (10), 6-29…7-3 (15), 7-6…7-10 (20).
    // Before the correction: 4-28…4-30 (3), 劳动节 5-1…5-5, 5-6…5-8 (6), 5-9 (7), 5-11…5-15 (12),
    // 5-18…5-22 (17), 5-25…5-27 (20). Each step shows the due date as it stood that day.
    expect(c.steps.map((s) => s.due)).toEqual([
      '2026-05-27',
      null,
      '2026-06-04',
      '2026-06-04',
      '2026-06-11',
      '2026-07-10',
    ])
    expect(c.due).toBe('2026-07-10')
    expect(c.countedFrom).toBe('2026-05-08')
    expect(c.steps.map((s) => s.text).join('\n')).toMatch(/5 个工作日不计入/)
  })

  test('while the applicant corrects the application there is no due date', () => {
    const c = computeClock(
      official,
      '2026-04-27',
      [{ kind: 'correctionRequested', on: '2026-04-29', correctBy: '2026-05-15' }],
      '2026-05-06',
    )
    expect(c.due).toBeNull()
    expect(c.awaitingCorrection).toBe(true)
  })

  test('a correction notice later than seven working days is marked late', () => {
    // 7 working days after 3-02: 3-3…3-6 (4), 3-9, 3-10, 3-11 (7).
    const c = computeClock(
      official,
      '2026-03-02',
      [{ kind: 'correctionRequested', on: '2026-03-12', correctBy: '2026-03-20' }],
      '2026-03-12',
    )
    expect(c.correctionNoticeBy).toBe('2026-03-11')
    expect(c.steps[1]!.text).toMatch(/已逾期/)
  })

  test('the time between a fee notice and the payment does not count, unless the setting says otherwise', () => {
    // Receipt 3-02: 3-3…3-6 (4), 3-9…3-13 (9), 3-16…3-20 (14), 3-23…3-27 (19), 3-30 (20).
    const fee = [
      { kind: 'feeNotified', on: '2026-03-10' },
      { kind: 'feePaid', on: '2026-03-17' },
    ] as const
    expect(computeClock(official, '2026-03-02', [], '2026-03-02').due).toBe('2026-03-30')
    // Paused 3-11, 3-12, 3-13, 3-16, 3-17 (5): 3-31, 4-1, 4-2, 4-3 (4), 清明 4-4…4-6, 4-7 (5).
    expect(computeClock(official, '2026-03-02', fee, '2026-03-20').due).toBe('2026-04-07')
    expect(
      computeClock(official, '2026-03-02', fee, '2026-03-20', { ...statutoryClock, feePausesClock: false }).due,
    ).toBe('2026-03-30')
  })

  test('an open consultation stops the clock until today, and at most for the 15 working days the other side has', () => {
    const sent = [{ kind: 'consultationSent', on: '2026-03-10', party: 'agency', ref: 'b' }] as const
    const today = computeClock(official, '2026-03-02', sent, '2026-03-12')
    // Paused 3-11, 3-12 (2): 3-31, 4-1.
    expect(today.due).toBe('2026-04-01')
    expect(today.pausedSince).toBe('2026-03-10')
    // No answer: 15 working days end 3-31 (3-11…3-13, 3-16…3-20, 3-23…3-27, 3-30, 3-31); due 3-30 + 15:
    // 3-31, 4-1, 4-2, 4-3, 4-7…4-10, 4-13…4-17, 4-20, 4-21.
    expect(computeClock(official, '2026-03-02', sent, '2026-05-01').due).toBe('2026-04-21')
  })

  test('an extension approved after the due date is not counted', () => {
    const c = computeClock(
      official,
      '2026-03-02',
      [{ kind: 'extensionApproved', on: '2026-03-31', days: 20, noticeIssuedOn: '2026-03-31' }],
      '2026-03-31',
    )
    expect(c.due).toBe('2026-03-30')
    expect(c.steps.at(-1)!.text).toMatch(/不予计入/)
  })

  test('art. 35 sets a later reasonable date with its notice, once the reasons were asked for', () => {
    const c = computeClock(
      official,
      '2026-03-02',
      [
        { kind: 'reasonsRequested', on: '2026-03-04' },
        { kind: 'delaySet', on: '2026-03-05', until: '2026-05-29' },
      ],
      '2026-03-05',
    )
    expect(c.due).toBe('2026-05-29')
    expect(c.steps.at(-1)!.text).toMatch(/第三十五条/)
  })

  test('crossing into a year without a notice is refused; with the next year recorded it counts on', () => {
    // 12-11 (1), 12-14…12-18 (6), 12-21…12-25 (11), 12-28…12-31 (15), then 2027.
    expect(() => computeClock(official, '2026-12-10', [], '2026-12-10')).toThrow(CalendarMissing)
    // Fixture 2027: 1-1 off, 1-4…1-8 (20).
    expect(computeClock(withFixture2027, '2026-12-10', [], '2026-12-10').due).toBe('2027-01-08')
  })

  test('on time means delivered (signed for, or posted) by the due date', () => {
    expect(deliveredOnTime('2026-03-30', '2026-03-30')).toBe(true)
    expect(deliveredOnTime('2026-03-30', '2026-03-31')).toBe(false)
  })
})

describe('信息处理费 (国办函〔2020〕109号)', () => {
  test('per piece: 45 applications in one month cost 20×100 + 10×200 + 5×300 = 5,500 元', () => {
    expect(Array.from({ length: 45 }, (_, i) => perPieceFee(i + 1)).reduce((a, b) => a + b, 0)).toBe(5500)
    expect(perPieceFee(10)).toBe(0)
    expect(perPieceFee(11)).toBe(100)
    expect(perPieceFee(41)).toBe(300)
  })

  test('per volume: 250 pages cost 70×10 + 100×20 + 50×40 = 4,700 元; 30 pages are free', () => {
    expect(perVolumeFee(250)).toBe(4700)
    expect(perVolumeFee(30)).toBe(0)
    expect(perVolumeFee(31)).toBe(10)
  })
})
