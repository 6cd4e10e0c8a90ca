import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'

// A real SMTP server on 127.0.0.1 and a random port, for the tests of e-mail to the applicant: it
// keeps what arrives, decoded as a reader's mail program would show it, and can be told to refuse.

export type ReceivedMail = { to: string[]; from: string; subject: string; text: string; raw: string }

export type TestSmtpServer = {
  url: string
  received: ReceivedMail[]
  /** While set, every recipient is refused with this SMTP answer (e.g. a 450 mailbox busy). */
  refuseWith: { code: number; message: string } | undefined
  close(): Promise<void>
}

export async function startSmtpServer(): Promise<TestSmtpServer> {
  const state: { received: ReceivedMail[]; refuseWith: TestSmtpServer['refuseWith'] } = {
    received: [],
    refuseWith: undefined,
  }
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      const refuse = state.refuseWith
      if (!refuse) return callback()
      return callback(Object.assign(new Error(refuse.message), { responseCode: refuse.code }))
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8')
        state.received.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          ...parseMessage(raw),
          raw,
        })
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.server.address() as AddressInfo).port
  return {
    url: `smtp://127.0.0.1:${port}`,
    get received() {
      return state.received
    },
    get refuseWith() {
      return state.refuseWith
    },
    set refuseWith(v) {
      state.refuseWith = v
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** The subject and plain-text body of a single-part message (RFC 2047 headers; base64 or quoted-printable body). */
function parseMessage(raw: string): { subject: string; text: string } {
  const split = raw.indexOf('\r\n\r\n')
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ')
  const body = raw.slice(split + 4)
  const header = (name: string) =>
    head
      .split('\r\n')
      .find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`))
      ?.slice(name.length + 1)
      .trim() ?? ''
  const encoding = header('Content-Transfer-Encoding').toLowerCase()
  const text =
    encoding === 'base64'
      ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
      : encoding === 'quoted-printable'
        ? quotedPrintable(body)
        : body
  return { subject: decodeWords(header('Subject')), text: text.replace(/\r\n/g, '\n') }
}

function quotedPrintableBytes(s: string): Buffer {
  const bytes: number[] = []
  const text = s.replace(/=\r?\n/g, '')
  for (let i = 0; i < text.length; i++) {
    const hex = text[i] === '=' ? text.slice(i + 1, i + 3) : ''
    if (/^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16))
      i += 2
    } else bytes.push(...Buffer.from(text[i]!, 'utf8'))
  }
  return Buffer.from(bytes)
}
const quotedPrintable = (s: string) => quotedPrintableBytes(s).toString('utf8')

/** RFC 2047 encoded words; adjacent ones are joined before decoding, as a character may span two. */
function decodeWords(s: string): string {
  const words = /=\?utf-8\?([BQ])\?([^?]*)\?=/gi
  return s.replace(/(?:=\?utf-8\?[BQ]\?[^?]*\?=\s*)+/gi, (run) =>
    Buffer.concat(
      [...run.matchAll(words)].map(([, enc, data]) =>
        enc!.toUpperCase() === 'B' ? Buffer.from(data!, 'base64') : quotedPrintableBytes(data!.replace(/_/g, ' ')),
      ),
    ).toString('utf8'),
  )
}
