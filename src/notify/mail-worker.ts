import type { Transporter } from 'nodemailer'
import { fieldAad } from '../applications/applicant-data.ts'
import { isoNow } from '../clock.ts'
import type { Deps } from '../deps.ts'
import { composeMail, failureText, retryDelayMinutes } from './mail.ts'
import type { MailKind, SendFailure } from './mail.ts'
import { claimOutboxRow, listDueOutboxIds, updateOutboxRow } from './outbox.store.ts'
import type { OutboxRow } from './outbox.store.ts'

// Sends the queued e-mail after the commit of the step that queued it: an in-process worker polls
// every few seconds (and is nudged when a message is queued), takes each due message by a
// conditional update so that only one worker sends it, and on failure tries again later
// (mail.ts retryDelayMinutes) until it gives up. Every process may run one.

/** How long a worker holds a message it is sending; well beyond the SMTP time-outs below. */
const holdMinutes = 5
const smtpTimeouts = { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 }

const plusMinutes = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString()

/**
 * Sends the messages due now, each by the one worker that claims it; returns how many it tried.
 * Without SMTP_URL nothing is sent.
 */
export async function sendDueMail(deps: Deps, limit = 20): Promise<number> {
  const smtpUrl = deps.config.smtpUrl
  const publicUrl = deps.config.publicUrl
  if (!smtpUrl || !publicUrl) return 0
  const ids = await listDueOutboxIds(deps.db, isoNow(deps.clock), limit)
  let transport: Transporter | undefined
  let tried = 0
  try {
    for (const id of ids) {
      const now = isoNow(deps.clock)
      const row = await claimOutboxRow(deps.db, id, now, plusMinutes(now, holdMinutes))
      if (!row) continue // another worker has it
      tried++
      transport ??= (await import('nodemailer')).default.createTransport({ url: smtpUrl, ...smtpTimeouts })
      await sendOne(deps, transport, row, publicUrl)
    }
  } finally {
    transport?.close()
  }
  return tried
}

async function sendOne(deps: Deps, transport: Transporter, row: OutboxRow, publicUrl: string): Promise<void> {
  const attempts = row.attempts + 1
  if (!row.recipient_enc) {
    await updateOutboxRow(deps.db, row.id, {
      status: 'failed',
      attempts: row.attempts,
      claimed_until: null,
      last_error: '收件地址已删除，不再发送',
      updated_at: isoNow(deps.clock),
    })
    return
  }
  let to: string | undefined
  try {
    // A message to a member of staff carries its own body (a password-reset link, issue #14); an
    // applicant's is composed from its kind and number.
    const staff = row.user_id !== null
    to = deps.fields.decrypt(
      row.recipient_enc,
      staff ? `users:${row.user_id}:email` : fieldAad(row.application_number ?? '', 'email'),
    )
    const message = staff
      ? staffMessage(deps, row)
      : composeMail(row.kind as MailKind, row.application_number ?? '', publicUrl)
    await transport.sendMail({ from: deps.config.mailFrom, to, subject: message.subject, text: message.text })
    const now = isoNow(deps.clock)
    await updateOutboxRow(deps.db, row.id, {
      status: 'sent',
      attempts,
      sent_at: now,
      claimed_until: null,
      last_error: null,
      // A one-time link is not kept once it is on its way.
      body_enc: null,
      updated_at: now,
    })
  } catch (e) {
    const now = isoNow(deps.clock)
    const delay = retryDelayMinutes(attempts)
    const error = failureText(e as SendFailure & Error, to)
    await updateOutboxRow(deps.db, row.id, {
      status: delay === undefined ? 'failed' : 'queued',
      attempts,
      next_attempt_at: delay === undefined ? row.next_attempt_at : plusMinutes(now, delay),
      claimed_until: null,
      last_error: error,
      ...(delay === undefined ? { body_enc: null } : {}),
      updated_at: now,
    })
    // The log names the message and the number or account, never the address.
    const about = row.user_id !== null ? { user: row.user_id } : { number: row.application_number }
    deps.log.warn({ mail: row.id, ...about, attempts, error }, 'e-mail not sent')
  }
}

/** The subject of each kind of message to staff. */
const staffSubjects: Record<string, string> = { password_reset: '重置登录密码', account_setup: '设置登录密码' }

function staffMessage(deps: Deps, row: OutboxRow): { subject: string; text: string } {
  if (!row.body_enc) throw new Error('邮件内容已删除')
  return {
    subject: staffSubjects[row.kind] ?? '政府信息公开平台通知',
    text: deps.fields.decrypt(row.body_enc, `users:${row.user_id}:mail`),
  }
}

class MailWorker {
  private timer: NodeJS.Timeout | undefined
  private kick: NodeJS.Timeout | undefined
  private running: Promise<void> = Promise.resolve()
  private busy = false
  constructor(
    private readonly deps: Deps,
    private readonly onError: (err: unknown) => void,
  ) {}
  start(everyMs: number) {
    this.timer = setInterval(() => this.round(), everyMs)
    this.timer.unref()
  }
  /** A round soon, once the transaction that queued a message has had time to commit. */
  nudge() {
    if (this.kick || !this.timer) return
    this.kick = setTimeout(() => {
      this.kick = undefined
      this.round()
    }, 200)
    this.kick.unref()
  }
  private round() {
    if (this.busy) return
    this.busy = true
    this.running = sendDueMail(this.deps).then(
      () => undefined,
      (err: unknown) => this.onError(err),
    )
    void this.running.finally(() => (this.busy = false))
  }
  async stop() {
    clearInterval(this.timer)
    clearTimeout(this.kick)
    this.timer = undefined
    await this.running
  }
}

const workers = new WeakMap<Deps, MailWorker>()

/**
 * Starts sending queued e-mail (when SMTP_URL is set): every few seconds and soon after a message
 * is queued. Returns the function that stops it and waits for a round under way.
 */
export function startMailWorker(
  deps: Deps,
  opts: { everyMs?: number; onError: (err: unknown) => void },
): () => Promise<void> {
  if (!deps.config.smtpUrl) return async () => undefined
  const worker = new MailWorker(deps, opts.onError)
  workers.set(deps, worker)
  worker.start(opts.everyMs ?? 5_000)
  return async () => {
    workers.delete(deps)
    await worker.stop()
  }
}

/** Nudges this process's worker, if it runs one, to send what was just queued. */
export function kickMailWorker(deps: Deps): void {
  workers.get(deps)?.nudge()
}
