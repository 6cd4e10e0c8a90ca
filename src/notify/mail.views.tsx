import { formatShanghai } from '../clock.ts'
import { Notice } from '../web/form.tsx'
import type { MailNotice, MailNotices } from './outbox.service.ts'

// The block "邮件通知" on the console's application page: each message to the applicant, whether
// it went out, waits for another try or failed for good, and why, so that the handler can tell the
// applicant another way when e-mail did not reach them.

function statusText(m: MailNotice): string {
  switch (m.status) {
    case 'sent':
      return `已发送（${m.sentAt ? formatShanghai(m.sentAt) : ''}）`
    case 'failed':
      return '发送失败'
    case 'sending':
      return '正在发送'
    case 'queued':
      return m.attempts === 0
        ? '等待发送'
        : `等待重试（${m.nextAttemptAt ? `${formatShanghai(m.nextAttemptAt)} 再试` : ''}）`
  }
}

export function MailSection(props: { mail: MailNotices }) {
  const { mail } = props
  return (
    <section aria-labelledby="mail-heading">
      <h2 id="mail-heading">邮件通知</h2>
      {/* Said to the handler, who cannot change it: no setting name (SMTP_URL is in the administrator's log). */}
      {!mail.configured && (
        <Notice kind="warn">未配置邮件服务器，不会向申请人发送邮件通知；需要时请联系系统管理员配置。</Notice>
      )}
      {mail.configured && !mail.hasAddress && mail.messages.length === 0 && <p>申请人未留电子邮箱，不发送邮件通知。</p>}
      {mail.messages.some((m) => m.status === 'failed') && (
        <Notice kind="warn">有邮件通知发送失败，请通过其他方式告知申请人。</Notice>
      )}
      {mail.messages.length > 0 && (
        <table id="mail-notices">
          <thead>
            <tr>
              <th scope="col">通知事项</th>
              <th scope="col">生成时间</th>
              <th scope="col">状态</th>
              <th scope="col">尝试次数</th>
              <th scope="col">最近一次错误</th>
            </tr>
          </thead>
          <tbody>
            {mail.messages.map((m) => (
              <tr>
                <td>{m.title}</td>
                <td>{formatShanghai(m.createdAt)}</td>
                <td>{statusText(m)}</td>
                <td>{m.attempts}</td>
                <td>{m.lastError ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
