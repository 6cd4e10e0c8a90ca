// E-mail to the applicant (issue #11): what each message says, when a failed one is tried again,
// and how a failure reads to the handler. No I/O here.
//
// A message carries the application's number and a link to the tracking page, and nothing else of
// the case: never the applicant's name or contacts, never the request, never a letter. E-mail is an
// open channel; the applicant reads the step itself on /track with the number and the query code,
// which the message does not contain either.

/** The steps the applicant is told of by e-mail, and the letter each one follows (letter.ts kinds). */
export const mailKinds = {
  received: '申请已收到',
  correction: '补正申请告知书',
  extension: '延期答复告知书',
  fee: '收取信息处理费通知书',
  delay: '延迟答复告知书',
  decision: '政府信息公开申请答复书',
} as const
export type MailKind = keyof typeof mailKinds

/** The kind of message an issued letter of this kind calls for; none for letters not addressed to the applicant. */
export const mailKindOfLetter = (letterKind: string): MailKind | undefined =>
  letterKind !== 'received' && Object.hasOwn(mailKinds, letterKind) ? (letterKind as MailKind) : undefined

export type MailStatus = 'queued' | 'sending' | 'sent' | 'failed'

export type MailMessage = Readonly<{ subject: string; text: string }>

/** The tracking page of an application, with its number, under the platform's public address. */
export const trackingLink = (publicUrl: string, number: string) =>
  `${publicUrl}/track?number=${encodeURIComponent(number)}`

const opening: Record<MailKind, { subject: string; says: string }> = {
  received: {
    subject: '您的政府信息公开申请已收到',
    says: '行政机关已收到您的政府信息公开申请。答复期限和办理进度可在查询页面查看。',
  },
  correction: {
    subject: '您的政府信息公开申请需要补正',
    says: '行政机关已就您的申请出具《补正申请告知书》，请在查询页面查看需要补正的内容和补正期限，并按要求补正。',
  },
  extension: {
    subject: '您的政府信息公开申请已延长答复期限',
    says: '行政机关已就您的申请出具《延期答复告知书》，请在查询页面查看延长后的答复期限。',
  },
  fee: {
    subject: '您的政府信息公开申请需缴纳信息处理费',
    says: '行政机关已就您的申请出具《收取信息处理费通知书》，请在查询页面查看收费金额、缴纳方式和缴费期限。',
  },
  delay: {
    subject: '您的政府信息公开申请将延迟答复',
    says: '行政机关已就您的申请出具《延迟答复告知书》，请在查询页面查看。',
  },
  decision: {
    subject: '您的政府信息公开申请已作出答复',
    says: '行政机关已对您的申请作出答复，《政府信息公开申请答复书》可在查询页面查看和下载。',
  },
}

/** The subject and plain-text body of a message: the step, the number and the link, nothing personal. */
export function composeMail(kind: MailKind, number: string, publicUrl: string): MailMessage {
  const { subject, says } = opening[kind]
  return {
    subject: `${subject}（申请编号 ${number}）`,
    text: [
      '您好：',
      '',
      `${says}`,
      '',
      `申请编号：${number}`,
      `查询页面：${trackingLink(publicUrl, number)}`,
      '',
      '请在查询页面输入申请编号和提交申请时取得的查询码查看详情。为保护您的个人信息，本邮件不包含申请内容和文书。',
      '本邮件由系统自动发送，请勿直接回复。',
    ].join('\n'),
  }
}

/**
 * Minutes to wait before the next try after the n-th failed one (n from 1); undefined: give up.
 * Six tries over about nine hours ride out a mail server's restart or a night's outage.
 */
export const retryDelayMinutes = (failedAttempts: number): number | undefined =>
  [1, 5, 30, 120, 360][failedAttempts - 1]

export type SendFailure = {
  code?: string | undefined
  responseCode?: number | undefined
  response?: string | undefined
}

/** An address as every member of staff may see it: l***@example.cn (as applicant-data.ts masks it). */
export const maskAddress = (address: string) => address.replace(/^(.).*(@.*)$/, '$1***$2')

/**
 * A failed send in plain words for the handler, with the server's own answer when it gave one; the
 * recipient's address, which servers often quote, is masked in it like any personal field.
 */
export function failureText(err: SendFailure & { message?: string }, recipient?: string): string {
  const masked = (text: string) =>
    recipient
      ? text.replace(new RegExp(recipient.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi'), maskAddress(recipient))
      : text
  const answer = err.response ? `（服务器答复：${masked(err.response.slice(0, 200))}）` : ''
  switch (err.code) {
    case 'ECONNECTION':
    case 'ESOCKET':
    case 'ETIMEDOUT':
    case 'EDNS':
      return `无法连接邮件服务器，请检查 SMTP_URL 中的主机和端口，或服务器是否运行${answer}`
    case 'EAUTH':
    case 'ENOAUTH':
      return `邮件服务器拒绝登录，请检查 SMTP_URL 中的用户名和密码${answer}`
    case 'ETLS':
      return `与邮件服务器建立加密连接失败${answer}`
    default:
      if (err.code === 'EENVELOPE' || err.responseCode)
        return (err.responseCode ?? 500) >= 500
          ? `邮件服务器拒收，收件人地址或邮件不被接受${answer}`
          : `邮件服务器暂时无法接收${answer}`
      return `发送失败：${masked(err.message ?? '未知原因')}`
  }
}
