import { describe, expect, test } from 'vitest'
import { canMove, screenApplication } from './application.ts'

// The pure rules of disclosure on request: no database, milliseconds.

describe('the status of an application', () => {
  test('an open application may wait for a correction and come back; a concluded one stays concluded', () => {
    expect(canMove('open', 'correction')).toBe(true)
    expect(canMove('correction', 'open')).toBe(true)
    expect(canMove('correction', 'concluded')).toBe(true)
    expect(canMove('open', 'open')).toBe(false)
    expect(canMove('concluded', 'open')).toBe(false)
    expect(canMove('concluded', 'concluded')).toBe(false)
    expect(canMove(null, 'concluded')).toBe(false)
  })
})

describe('screening a new application for the handler (art. 35)', () => {
  const answered = (id: number, receivedOn: string, description: string) => ({
    id,
    received_on: receivedOn,
    outcome: 'GRANTED',
    info_title: null,
    info_description: description,
  })
  const request = '2025年桂溪街道老旧小区改造项目的资金使用明细'

  test('a similar request answered within the year is a possible repeat; one answered longer ago is not', () => {
    const recent = answered(7, '2025-06-01', '2025年桂溪街道老旧小区改造项目资金使用明细。')
    const old = answered(3, '2025-02-01', request)
    const screen = (earlier: (typeof recent)[]) =>
      screenApplication({ earlier, receivedOn: '2026-03-02', request, sameBatch: 0, frequentThreshold: 10 })
    expect(screen([recent, old])).toEqual({ flags: ['possible_repeat'], repeatOf: 7 })
    expect(screen([old])).toEqual({ flags: [], repeatOf: undefined })
  })

  test('the same request of the same applicant received the same day is flagged as sent twice, answered or not (issue #12)', () => {
    const pending = { ...answered(9, '2026-03-02', '2025年桂溪街道老旧小区改造项目的资金使用明细。'), outcome: null }
    const otherRequest = { ...answered(8, '2026-03-02', '县医院建设项目的环评报告'), outcome: null }
    const screen = (earlier: (typeof pending)[]) =>
      screenApplication({ earlier, receivedOn: '2026-03-02', request, sameBatch: 0, frequentThreshold: 10 })
    expect(screen([pending])).toEqual({ flags: ['same_day_duplicate'], repeatOf: 9 })
    expect(screen([otherRequest]).flags).toEqual([])
    expect(screen([{ ...pending, received_on: '2026-03-01' }]).flags).toEqual([])
  })

  test('the applications of the last 30 days, this one and those before it in the batch count toward "frequent"', () => {
    const earlier = [answered(2, '2026-02-20', '甲'), answered(1, '2026-01-20', '乙')]
    const screen = (sameBatch: number) =>
      screenApplication({ earlier, receivedOn: '2026-03-02', request: '丙项目', sameBatch, frequentThreshold: 3 })
    expect(screen(0).flags).toEqual([])
    expect(screen(1).flags).toEqual(['frequent'])
  })
})
