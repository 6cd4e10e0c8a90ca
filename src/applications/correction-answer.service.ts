import type { Actor } from '../audit/audit.ts'
import { isoNow } from '../clock.ts'
import type { Deps } from '../deps.ts'
import { AppError } from '../errors.ts'
import type { ApplicationRow } from '../storage/database.ts'
import { shanghaiDate } from './application.ts'
import { addEvent } from './application.service.ts'
import { findApplicationById, insertCorrectionAnswer, listEvents, updateApplication } from './application.store.ts'
import { fieldAad } from './applicant-data.ts'
import { keepingFileOnlyIf, receiveApplicantFile, recordApplicantFile } from './applicant.service.ts'
import type { IncomingFile } from './applicant.service.ts'
import { refreshDue, refuseUnlawfulStep } from './due-date.service.ts'

// The applicant answers a 补正 request online (条例第三十条). The answer is the corrected
// application: its receipt is the day it arrives (Shanghai date), the reply period runs afresh from
// the next day, and the handler sees its text (encrypted like the other personal data) and files.

export const maxAnswerLength = 5000
const noCorrectionPending = '本申请目前没有待答复的补正通知，无需提交补正。如需补充材料，请使用下方的“补充材料”上传。'

/** The 补正 the applicant is asked for: what to correct and by when (条例第三十条), or undefined. */
export type PendingCorrection = { askedOn: string; what: string; correctBy: string | null }

export async function pendingCorrection(
  deps: Deps,
  application: ApplicationRow,
): Promise<PendingCorrection | undefined> {
  if (application.status !== 'correction') return undefined
  const asked = (await listEvents(deps.db, application.id)).find((e) => e.kind === 'correction_requested')
  if (!asked) return undefined
  const by = asked.detail.correctBy
  return {
    askedOn: asked.on,
    what: typeof asked.detail.what === 'string' ? asked.detail.what : '',
    correctBy: typeof by === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(by) ? by : null,
  }
}

/**
 * Records the applicant's answer to the pending 补正 request: text and/or one file, checked as the
 * other uploads are. Records `correction_received` on today's Shanghai date, so the 20 working days
 * start again from it (条例第三十条, 第三十三条), in one transaction with its audit entries.
 */
export async function answerCorrection(
  deps: Deps,
  actor: Actor,
  application: ApplicationRow,
  input: { text: string; file?: { name: string; bytes: Buffer } | undefined },
): Promise<void> {
  const text = input.text.trim()
  if (application.status !== 'correction') throw new AppError('invalid_transition', noCorrectionPending)
  if (text.length > maxAnswerLength)
    throw new AppError('invalid_input', `补正内容不能超过 ${maxAnswerLength} 字`, {
      text: `不能超过 ${maxAnswerLength} 字`,
    })
  if (!text && !input.file)
    throw new AppError('invalid_input', '请填写补正内容或上传补正材料', { text: '请填写补正内容或上传补正材料' })
  const file: IncomingFile | undefined = input.file
    ? await receiveApplicantFile(deps, actor, application, input.file.name, input.file.bytes)
    : undefined
  const today = shanghaiDate(deps.clock.now())
  await keepingFileOnlyIf(deps, file, () =>
    deps.db.transaction().execute(async (trx) => {
      const current = (await findApplicationById(trx, application.id))!
      if (current.status !== 'correction') throw new AppError('invalid_transition', noCorrectionPending)
      await refuseUnlawfulStep(deps, trx, current, { kind: 'correctionReceived', on: today })
      const answerId = await insertCorrectionAnswer(trx, {
        application_id: current.id,
        answered_on: today,
        text_enc: text ? deps.fields.encrypt(text, fieldAad(current.number, 'correction_answer')) : null,
        created_at: isoNow(deps.clock),
      })
      if (file) await recordApplicantFile(deps, trx, actor, current, file, answerId)
      // The answer's text stays out of the event and the audit log: it is personal data.
      await addEvent(deps, trx, actor, current, 'correction_received', today, { online: true, answer: answerId })
      await updateApplication(trx, current.id, { status: 'open' })
      await refreshDue(deps, trx, current)
    }),
  )
}
