import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { Deps } from '../deps.ts'
import type { ApplicationRow } from '../storage/database.ts'
import type { PublicStatus } from './application.ts'
import { findApplicationByNumber, listIssuedLetters } from './application.store.ts'
import { decryptApplicant, queryCodeHash } from './applicant-data.ts'
import { pendingCorrection } from './correction-answer.service.ts'
import type { PendingCorrection } from './correction-answer.service.ts'
import { clockOrProblem } from './due-date.service.ts'
import { explainDue } from './due-explanation.ts'
import { isForApplicant } from './letter.ts'

// The applicant's side: an application found by its number and query code, its progress as the
// public may see it, and the second check before its letters.

/** Constant-time match of a number and query code; undefined for any mismatch, the same for both halves. */
export async function findByTracking(
  deps: Deps,
  number: string,
  queryCode: string,
): Promise<ApplicationRow | undefined> {
  const key = number.trim().toUpperCase()
  const row = await findApplicationByNumber(deps.db, key)
  // The code is kept only as a keyed hash (issue #14): hash what was given and compare; a missing row
  // or an erased code is compared against random bytes, taking the same time.
  const stored = row?.query_code_hash ?? randomBytes(32).toString('base64url')
  const a = Buffer.from(stored)
  const b = Buffer.from(queryCodeHash(deps, key, queryCode.trim().slice(0, 40)))
  const same = a.length === b.length && timingSafeEqual(a, b)
  return same && row ? row : undefined
}

/** The second check before letters: the last four characters of the applicant's ID number or phone. */
export function secondCheck(deps: Deps, application: ApplicationRow, lastFour: string): boolean {
  const d = decryptApplicant(deps, application)
  const want = Buffer.from(lastFour.trim().toUpperCase().padEnd(4).slice(0, 4))
  const ok = (v: string | null) =>
    v !== null && v.length >= 4 && timingSafeEqual(Buffer.from(v.slice(-4).toUpperCase()), want)
  // Both are compared, always, so that the time taken does not say which one matched.
  const byId = ok(d.idNumber)
  const byPhone = ok(d.phone)
  return byId || byPhone
}

const waitingForCalendar = '收到申请；答复期限待国务院办公厅公布下一年度节假日安排后确定'

/** What the applicant sees on /track: the public status, what happens next, and a pending 补正. */
export type TrackStatus = PublicStatus & {
  dueProvisional: boolean
  /** One line: when the agency must reply and why, or what the clock waits for. */
  dueExplanation: string | null
  /** A 补正 request waiting for the applicant's answer (条例第三十条). */
  correction: PendingCorrection | undefined
}

export async function publicStatus(deps: Deps, application: ApplicationRow): Promise<TrackStatus> {
  const { clock } = await clockOrProblem(deps, deps.db, application)
  const correction = await pendingCorrection(deps, application)
  const letters = await listIssuedLetters(deps.db, application.id)
  const concluded = application.status === 'concluded'
  const concludedStep =
    concluded && application.concluded_on
      ? [
          {
            on: application.concluded_on,
            text: application.outcome === 'OTHER_OTHER' && !application.reply_type?.match(/\d/) ? '办结' : '作出答复',
          },
        ]
      : []
  return {
    number: application.number,
    status: application.status ?? 'open',
    receivedOn: application.received_on,
    due: concluded ? null : (clock?.due ?? null),
    dueProvisional: !concluded && !!clock?.provisional,
    dueExplanation:
      concluded || !clock
        ? null
        : explainDue({
            receivedOn: application.received_on,
            due: clock.due,
            provisional: clock.provisional,
            countedFrom: clock.countedFrom,
            awaitingCorrection: clock.awaitingCorrection,
            paused: clock.pausedSince !== null,
            feePayBy: clock.feePayBy,
            // The steps come from the one clock: an extension counted, a 第三十五条 date set.
            extended: clock.steps.some((st) => st.text.startsWith('经政府信息公开工作机构负责人同意延长答复期限')),
            delayed: clock.steps.some((st) => st.text.startsWith('申请数量、频次明显超过合理范围，确定延迟答复')),
            correctBy: correction?.correctBy ?? null,
          }),
    correction,
    outcome: application.outcome,
    decidedOn: application.decided_on,
    steps: [
      ...(clock
        ? clock.steps.map((s) => ({ on: s.on, text: s.text }))
        : [{ on: application.received_on, text: waitingForCalendar }]),
      ...concludedStep,
      ...(application.delivered_on ? [{ on: application.delivered_on, text: '答复文书送达' }] : []),
    ],
    letters: letters
      .filter((l) => isForApplicant(l.kind))
      .map((l) => ({ id: l.id, kind: l.kind, issuedOn: l.issued_on! })),
  }
}
