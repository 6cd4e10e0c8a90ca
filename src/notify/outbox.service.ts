import { isoNow } from '../clock.ts'
import type { Deps } from '../deps.ts'
import type { ApplicationRow, Executor } from '../storage/database.ts'
import { mailKindOfLetter, mailKinds } from './mail.ts'
import type { MailKind, MailStatus } from './mail.ts'
import { kickMailWorker } from './mail-worker.ts'
import { eraseOutboxRecipients, insertOutboxRows, listOutboxOfApplication } from './outbox.store.ts'

// Queuing e-mail to the applicant inside the transaction of the step it tells of, so that a step
// rolled back sends nothing and a step committed is never left untold; the worker sends after the
// commit (mail-worker.ts). Without SMTP_URL nothing is queued at all.

type Addressee = Pick<ApplicationRow, 'id' | 'number' | 'email_enc'>

/**
 * Queues one message per application that gave an e-mail address, in the caller's transaction.
 * The recipient is the application's own encrypted e-mail field, copied as it is: encrypted and
 * bound to the application's number like every personal field (applicant-data.ts).
 */
export async function queueApplicantMail(
  deps: Deps,
  trx: Executor,
  applications: readonly Addressee[],
  kind: MailKind,
): Promise<void> {
  if (!deps.config.smtpUrl) return
  const now = isoNow(deps.clock)
  await insertOutboxRows(
    trx,
    applications
      .filter((a) => a.email_enc)
      .map((a) => ({
        application_id: a.id,
        application_number: a.number,
        kind,
        recipient_enc: a.email_enc,
        status: 'queued',
        attempts: 0,
        next_attempt_at: now,
        claimed_until: null,
        last_error: null,
        sent_at: null,
        created_at: now,
        updated_at: now,
      })),
  )
  kickMailWorker(deps)
}

/**
 * Queues one message to a member of staff, in the caller's transaction: to the account's own address
 * (encrypted, copied as it is), with its own body (a password-reset link, issue #14), encrypted too
 * and erased once sent. Without SMTP_URL nothing is queued; the caller refuses first.
 */
export async function queueStaffMail(
  deps: Deps,
  trx: Executor,
  message: { userId: number; recipientEnc: string; kind: string; text: string },
): Promise<void> {
  if (!deps.config.smtpUrl) return
  const now = isoNow(deps.clock)
  await insertOutboxRows(trx, [
    {
      application_id: null,
      application_number: null,
      user_id: message.userId,
      kind: message.kind,
      recipient_enc: message.recipientEnc,
      body_enc: deps.fields.encrypt(message.text, `users:${message.userId}:mail`),
      status: 'queued',
      attempts: 0,
      next_attempt_at: now,
      claimed_until: null,
      last_error: null,
      sent_at: null,
      created_at: now,
      updated_at: now,
    },
  ])
  kickMailWorker(deps)
}

/** Queues the message an issued letter calls for, if it is addressed to the applicant (letter.ts). */
export async function queueLetterMail(
  deps: Deps,
  trx: Executor,
  application: Addressee,
  letterKind: string,
): Promise<void> {
  const kind = mailKindOfLetter(letterKind)
  if (kind) await queueApplicantMail(deps, trx, [application], kind)
}

/** Erases the recipient of every message of an application, with its other personal data. */
export async function forgetMailRecipients(deps: Deps, trx: Executor, applicationId: number): Promise<void> {
  await eraseOutboxRecipients(trx, applicationId, isoNow(deps.clock))
}

export type MailNotice = {
  kind: MailKind
  title: string
  status: MailStatus
  attempts: number
  lastError: string | null
  createdAt: string
  sentAt: string | null
  nextAttemptAt: string | null
}

export type MailNotices = {
  /** SMTP_URL is set: messages are queued and sent. */
  configured: boolean
  /** The applicant gave an e-mail address (still held). */
  hasAddress: boolean
  messages: MailNotice[]
}

/** The messages of one application, for the handler: what was sent, what waits, what failed and why. */
export async function mailNotices(
  deps: Deps,
  application: Pick<ApplicationRow, 'id' | 'email_enc'>,
): Promise<MailNotices> {
  const rows = await listOutboxOfApplication(deps.db, application.id)
  return {
    configured: !!deps.config.smtpUrl,
    hasAddress: !!application.email_enc,
    messages: rows.map((r) => ({
      kind: r.kind as MailKind,
      title: mailKinds[r.kind as MailKind] ?? r.kind,
      status: r.status as MailStatus,
      attempts: r.attempts,
      lastError: r.last_error,
      createdAt: r.created_at,
      sentAt: r.sent_at,
      nextAttemptAt: r.status === 'queued' ? r.next_attempt_at : null,
    })),
  }
}
