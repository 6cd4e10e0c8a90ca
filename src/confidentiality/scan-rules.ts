// The pre-publication confidentiality and privacy scan (条例 art. 15, security-and-reliability.md §6):
// pure rules over text. It fails closed: a finding blocks publishing until cleared, and a secret
// marking cannot be cleared in the application at all (the item is quarantined).

export type FindingKind =
  'id_number' | 'phone' | 'bank_card' | 'secret_marking' | 'restriction_mark' | 'known_person' | 'unscannable'
export type Finding = Readonly<{
  kind: FindingKind
  /** Where it was found: 'title', 'body', 'metadata.文号', 'attachment:名称.docx' … */
  surface: string
  /** The matched text, masked: findings are shown to staff, never repeated in full. */
  masked: string
  /** Character offset in that surface's text, for highlighting. */
  offset: number
  length: number
  /** Cleared by the confidentiality reviewer with a reason; never for a secret marking. */
  clearable: boolean
}>

export const findingLabels: Record<FindingKind, string> = {
  id_number: '居民身份证号码',
  phone: '手机号码',
  bank_card: '银行卡号',
  secret_marking: '密级标志',
  restriction_mark: '内部或不予公开标志',
  known_person: '申请人个人信息',
  unscannable: '无法检查内容的附件',
}

/** A person whose data the agency holds (from applications), to catch it echoed in public text. */
export type KnownPerson = Readonly<{
  name: string
  idNumber?: string | null
  phone?: string | null
  address?: string | null
}>

const idWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const idCheck = '10X98765432'

/** GB 11643-1999: 18 characters, MOD 11-2 check character, a real birth date. */
export function isValidIdNumber(id: string): boolean {
  if (!/^\d{17}[\dXx]$/.test(id)) return false
  const sum = idWeights.reduce((s, w, i) => s + w * Number(id[i]), 0)
  if (idCheck[sum % 11] !== id[17]!.toUpperCase()) return false
  const y = Number(id.slice(6, 10))
  const m = Number(id.slice(10, 12))
  const d = Number(id.slice(12, 14))
  const date = new Date(Date.UTC(y, m - 1, d))
  return y >= 1900 && date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d
}

export function luhn(digits: string): boolean {
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let n = Number(digits[digits.length - 1 - i])
    if (i % 2 === 1) {
      n *= 2
      if (n > 9) n -= 9
    }
    sum += n
  }
  return sum % 10 === 0
}

export const mask = (s: string) =>
  s.length <= 4 ? '*'.repeat(s.length) : `${s.slice(0, 3)}${'*'.repeat(Math.max(1, s.length - 7))}${s.slice(-4)}`

const before = (text: string, at: number, n: number) => text.slice(Math.max(0, at - n), at)

// Numbers that are identifiers of documents, not of people: 索引号, 文号, 统一社会信用代码, 邮编, 电话区号.
const documentContext = /(索引号|文号|信用代码|编号|代码|邮编|邮政编码|发文字号|登记号|许可证号)[：:\s]*$/

export function scanText(text: string, surface: string, known: readonly KnownPerson[] = []): Finding[] {
  const out: Finding[] = []
  const push = (kind: FindingKind, offset: number, matched: string, clearable = true) =>
    out.push({
      kind,
      surface,
      masked: kind === 'secret_marking' || kind === 'restriction_mark' ? matched : mask(matched),
      offset,
      length: matched.length,
      clearable,
    })

  // Runs of digits standing alone (not part of a longer run or an identifier with letters).
  for (const m of text.matchAll(/(?<![\dA-Za-z])\d[\d ]{9,22}[\dXx](?![\dA-Za-z])/g)) {
    const raw = m[0]
    const digits = raw.replace(/ /g, '')
    const ctx = before(text, m.index, 12)
    if (documentContext.test(ctx)) continue
    if (digits.length === 18 && isValidIdNumber(digits)) push('id_number', m.index, raw)
    else if (
      /^\d{16,19}$/.test(digits) &&
      luhn(digits) &&
      (/(卡号|银行|账号|账户|帐号|card)/i.test(before(text, m.index, 20)) ||
        /^\d{4}( \d{4}){3,4}( \d{1,3})?$/.test(raw))
    ) {
      push('bank_card', m.index, raw)
    }
  }
  for (const m of text.matchAll(/(?<!\d)1[3-9]\d{9}(?!\d)/g)) {
    if (!documentContext.test(before(text, m.index, 12))) push('phone', m.index, m[0])
  }
  // 密级标志 (GB/T 7156): 绝密★, 机密★一年, 秘密☆; 涉密 marked on a document. Not clearable.
  for (const m of text.matchAll(/(绝密|机密|秘密)\s*[★☆]|【?涉密】?(?=[\s\n]|$)|^\s*涉\s*密\s*$/gm))
    push('secret_marking', m.index, m[0].trim(), false)
  // Restriction marks used as a marking: a line of its own, or bracketed — not the words in a sentence
  // or a table label ("不予公开" is a row of the annual report).
  for (const m of text.matchAll(
    /^[\s【[（(]*(内部资料|内部文件|内部|不予公开|不得公开)(?:[\s，,]*注意保存)?[\s】\]）)]*$|[【[](内部资料|内部|不予公开)[】\]]/gm,
  )) {
    push('restriction_mark', m.index, m[0].trim())
  }
  // Known applicants' data echoed: an ID number or phone exactly, or the name beside one of their data.
  const flat = text.replace(/\s+/g, '')
  for (const p of known) {
    for (const value of [p.idNumber, p.phone, p.address].filter((v): v is string => Boolean(v && v.length >= 6))) {
      const at = flat.indexOf(value.replace(/\s+/g, ''))
      if (at >= 0) push('known_person', at, value)
    }
    const nameAt = p.name.length >= 2 ? flat.indexOf(p.name) : -1
    if (
      nameAt >= 0 &&
      [p.idNumber, p.phone, p.address].some(
        (v) => v && Math.abs(flat.indexOf(v.replace(/\s+/g, '')) - nameAt) < 80 && flat.includes(v.replace(/\s+/g, '')),
      )
    ) {
      push('known_person', nameAt, p.name)
    }
  }
  return out.sort((a, b) => a.offset - b.offset)
}

/** Where a finding stands, as staff read it. */
export function surfaceLabel(surface: string): string {
  if (surface === 'title') return '名称'
  if (surface === 'body') return '正文'
  if (surface.startsWith('metadata.')) return surface.slice('metadata.'.length)
  if (surface.startsWith('attachment-name:')) return `附件名“${surface.slice('attachment-name:'.length)}”`
  if (surface.startsWith('attachment:')) return `附件“${surface.slice('attachment:'.length)}”`
  return surface
}
