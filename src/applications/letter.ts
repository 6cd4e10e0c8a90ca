import { renderLetterPdf } from '../documents/pdf.ts'
import type { LetterDocument } from '../documents/pdf.ts'
import { feeNoticeLines, feeTemplateValues } from './fee-letter.ts'
import type { FeeFacts } from './fee-letter.ts'

// The letters of disclosure on request (告知书): a template per kind and, for decisions, per
// outcome, filled from the application and its clock, editable by the handler until issued, and
// rendered as DOCX and PDF. Every decision carries the remedies its outcome allows (appealRights).
// Agencies may replace any template (setting letters.<agency>.<kind>).

export const letterKinds = {
  receipt: '政府信息公开申请回执',
  correction: '补正申请告知书',
  consultation: '征求第三方意见函',
  extension: '延期答复告知书',
  fee: '收取信息处理费通知书',
  delay: '延迟答复告知书',
  decision: '政府信息公开申请答复书',
} as const
export type LetterKind = keyof typeof letterKinds

// The applicant sees and downloads only the letters addressed to the applicant. A consultation
// letter goes to the third party (条例 art. 32) or another agency (art. 34), and names who is
// consulted, whose identity is their personal or commercial data: it stays with the agency.
const addressedToApplicant: Record<LetterKind, boolean> = {
  receipt: true,
  correction: true,
  consultation: false,
  extension: true,
  fee: true,
  delay: true,
  decision: true,
}

/** Whether a letter of this kind is addressed to the applicant (unknown kinds are not). */
export const isForApplicant = (kind: string): boolean =>
  Object.hasOwn(addressedToApplicant, kind) && addressedToApplicant[kind as LetterKind]

export type LetterFacts = Readonly<{
  agency: string
  applicant: string
  number: string
  receivedOn: string
  request: string
  due?: string | null | undefined
  correctionWhat?: string | undefined
  correctBy?: string | undefined
  extensionDays?: number | undefined
  extensionReason?: string | undefined
  /** The fee notice's facts (109号); its text is fee-letter.ts. */
  fee?: FeeFacts | undefined
  delayUntil?: string | undefined
  delayReason?: string | undefined
  outcome?: string | undefined
  replyType?: string | undefined
  /** The written reason the handler gave (a refusal must give one, 条例 art. 36 (三), art. 37). */
  basis?: string | undefined
  /** PARTIAL: the article the withheld part rests on (withheldBases). */
  withheldBasis?: string | undefined
  queryLaw?: string | undefined
  queryOffice?: string | undefined
  responsibleAgency?: string | undefined
  responsibleContact?: string | undefined
  thirdParty?: string | undefined
  reconsiderationBody: string
}>

const cn = (date: string | null | undefined) =>
  date ? `${Number(date.slice(0, 4))}年${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日` : '（日期）'

/** The outcomes that refuse disclosure in whole (不予公开, report row （三）) or in part (部分公开). */
const refusedInWhole = (outcome: string | undefined) => !!outcome && outcome.startsWith('DENY_')

// Reconsideration comes first for a refusal to disclose (行政复议法 2023 art. 23 para. 1 (四)), and
// the agency must say so in its decision (art. 23 para. 2): 复议 within 60 days (art. 20), then suit
// within 15 days of the 复议 decision (行政诉讼法 art. 45). Any other decision leaves the choice:
// 复议 within 60 days or suit within 6 months (行政诉讼法 art. 46).
const reconsiderationFirst = (f: LetterFacts) =>
  `不服的，应当自收到本答复之日起六十日内先向${f.reconsiderationBody}申请行政复议；对行政复议决定不服的，可以自收到行政复议决定书之日起十五日内依法向人民法院提起行政诉讼。`
const eitherWay = (f: LetterFacts) =>
  `不服的，可以自收到本答复之日起六十日内向${f.reconsiderationBody}申请行政复议，或者自收到本答复之日起六个月内依法向人民法院提起行政诉讼。`

/** The remedies the letter tells the applicant of, by outcome (行政复议法 arts. 20, 23; 行政诉讼法 arts. 45, 46). */
export const appealRights = (f: LetterFacts) => {
  if (refusedInWhole(f.outcome)) return `如对本答复${reconsiderationFirst(f)}`
  if (f.outcome === 'PARTIAL')
    return `如对本答复中不予公开的部分${reconsiderationFirst(f)}如对本答复的其他内容${eitherWay(f)}`
  return `如对本答复${eitherWay(f)}`
}

const regulations = '《中华人民共和国政府信息公开条例》'

// The handler's own words stand in a sentence of their own, never inside brackets the template adds
// (no 「（（」 when they begin with one), and without a final stop the template adds again.
const own = (text: string | undefined) => (text ?? '').trim().replace(/[。；;，,\s]+$/u, '')

const reasonOf = (f: LetterFacts) => (own(f.basis) ? `理由：${own(f.basis)}。` : '')

/** Each refusal rests on its own article (条例 arts. 14–16) as well as art. 36 (三). */
const refusalGrounds: Record<string, { what: string; article: string }> = {
  DENY_SECRET: { what: '属于依法确定为国家秘密的政府信息', article: '第十四条' },
  DENY_LAW: { what: '属于法律、行政法规禁止公开的政府信息', article: '第十四条' },
  DENY_SECURITY: { what: '公开后可能危及国家安全、公共安全、经济安全、社会稳定', article: '第十四条' },
  DENY_THIRD_PARTY: {
    what: '涉及商业秘密、个人隐私等公开后会对第三方合法权益造成损害的内容',
    article: '第十五条',
  },
  DENY_INTERNAL: {
    what: '属于人事管理、后勤管理、内部工作流程等方面的内部事务信息',
    article: '第十六条第一款',
  },
  DENY_PROCESS: {
    what: '属于行政机关在履行行政管理职能过程中形成的讨论记录、过程稿、磋商信函、请示报告等过程性信息',
    article: '第十六条第二款',
  },
  DENY_ENFORCEMENT_FILE: { what: '属于行政执法案卷信息', article: '第十六条第二款' },
}

/**
 * 部分公开 (条例第三十七条): the withheld part rests on its own article, one of the refusal bases the
 * DENY_* outcomes use (arts. 14, 15, 16 para. 1 or 2), or art. 36 (三) alone.
 */
export const withheldBases = {
  art14: {
    label: '条例第十四条（国家秘密、法律行政法规禁止公开、危及国家安全公共安全经济安全社会稳定）',
    what: '属于依法确定为国家秘密、法律行政法规禁止公开，或者公开后可能危及国家安全、公共安全、经济安全、社会稳定的政府信息',
    article: '第十四条、',
  },
  art15: {
    label: '条例第十五条（商业秘密、个人隐私等第三方合法权益）',
    ...refusalGrounds.DENY_THIRD_PARTY!,
    article: '第十五条、',
  },
  art16_1: {
    label: '条例第十六条第一款（内部事务信息）',
    ...refusalGrounds.DENY_INTERNAL!,
    article: '第十六条第一款、',
  },
  art16_2: {
    label: '条例第十六条第二款（过程性信息、行政执法案卷信息）',
    what: '属于行政机关在履行行政管理职能过程中形成的过程性信息或者行政执法案卷信息',
    article: '第十六条第二款、',
  },
  art36_3: { label: '条例第三十六条第（三）项（依法不予公开）', what: '属于依法不予公开的政府信息', article: '' },
} as const
export type WithheldBasis = keyof typeof withheldBases
export const isWithheldBasis = (v: string | undefined): v is WithheldBasis => !!v && Object.hasOwn(withheldBases, v)

/** The withheld part of a partial disclosure: its article, the handler's reason and art. 37. */
function partialText(f: LetterFacts): string {
  const ground = isWithheldBasis(f.withheldBasis) ? withheldBases[f.withheldBasis] : undefined
  const what = ground ? `，其中部分内容${ground.what}` : '中部分内容不应当公开'
  return `经审查，您申请获取的政府信息${what}。${reasonOf(f)}根据${regulations}${ground?.article ?? ''}第三十六条第（三）项和第三十七条的规定，本机关对能够区分处理的可以公开的部分予以提供，对上述不应当公开的部分不予公开。`
}

/** Art. 36 (五): not this agency's information; the responsible agency is named when it is known. */
function notOurs(f: LetterFacts): string {
  const who = own(f.responsibleAgency)
  const contact = own(f.responsibleContact)
  const named = who
    ? `经确定，该政府信息由${who}负责公开${contact ? `，联系方式：${contact}` : ''}，请您向该机关提出申请。`
    : ''
  return `经审查，您申请获取的政府信息不属于本机关负责公开。${reasonOf(f)}根据${regulations}第三十六条第（五）项的规定，特此告知。${named}`
}

/** Art. 36 (七): registration records (工商、不动产登记资料 …) are obtained under their own law. */
function registrationQuery(f: LetterFacts): string {
  const law = own(f.queryLaw) || '（有关法律、行政法规）'
  const office = own(f.queryOffice) || '（受理查询的机关）'
  return `经审查，您申请获取的信息属于有关法律、行政法规对信息的获取有特别规定的登记资料等信息。${reasonOf(f)}根据${regulations}第三十六条第（七）项的规定，请您依照${law}的规定，向${office}申请查询。`
}

/** The decision's main paragraph, by outcome and reply type, citing the articles. */
function decisionText(f: LetterFacts): string {
  const refusal = f.outcome ? refusalGrounds[f.outcome] : undefined
  if (refusal)
    return `经审查，您申请获取的政府信息${refusal.what}。${reasonOf(f)}根据${regulations}${refusal.article}和第三十六条第（三）项的规定，本机关决定不予公开。`
  switch (f.outcome) {
    case 'GRANTED':
      return f.replyType === '1'
        ? `经审查，您申请获取的政府信息本机关已经主动公开。根据${regulations}第三十六条第（一）项的规定，现告知您获取该政府信息的方式和途径：可登录本机关政府信息公开专栏查阅。`
        : `经审查，您申请获取的政府信息属于公开范围。根据${regulations}第三十六条第（二）项的规定，现按您要求的形式予以提供。`
    case 'PARTIAL':
      return partialText(f)
    case 'DENY_QUERY':
      return registrationQuery(f)
    case 'UNABLE_NOT_HELD':
      return f.replyType === '5'
        ? notOurs(f)
        : `经检索，本机关没有制作或者获取您申请公开的政府信息。根据${regulations}第三十六条第（四）项的规定，告知您该政府信息不存在。`
    case 'UNABLE_NEEDS_CREATION':
      return `经审查，您申请获取的信息需要本机关对现有政府信息进行加工、分析。根据${regulations}第三十八条的规定，本机关不予提供。`
    case 'UNABLE_UNCLEAR':
      return `您的申请经补正后内容仍不明确，本机关无法确定您所需要的政府信息。根据${regulations}第三十条的规定，本机关无法提供。`
    case 'NP_PETITION':
      return `经审查，您提出的申请属于信访、投诉、举报事项。根据${regulations}第三十九条第一款的规定，本机关不作为政府信息公开申请处理，请通过相应渠道提出。`
    case 'NP_REPEAT':
      return `您提出的申请与本机关已经答复的您的申请内容相同。根据${regulations}第三十六条第（六）项的规定，本机关不予重复处理。`
    case 'NP_PUBLICATION':
      return `您申请获取的信息属于公开出版物。根据${regulations}第三十九条第二款的规定，您可以通过公开出版物获取。`
    case 'NP_MASSIVE':
      return `您申请公开政府信息的数量、频次明显超过合理范围，经要求说明理由，理由不合理。根据${regulations}第三十五条的规定，本机关不予处理。`
    case 'NP_CONFIRM':
      return '您要求本机关确认或者重新出具已获取的信息，不属于政府信息公开申请的范围，本机关不作为政府信息公开申请处理。'
    case 'OTHER_NO_CORRECTION':
      return `本机关已于补正告知书中告知您补正事项和期限，您无正当理由逾期未补正。根据${regulations}第三十条的规定，视为您放弃申请，本机关不再处理。`
    case 'OTHER_NO_FEE':
      return '本机关已向您发出收取信息处理费通知，您逾期未缴纳。根据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）的规定，视为您放弃申请，本机关不再处理。'
    default:
      return `关于您的申请，本机关处理如下：${own(f.basis) || '（处理结果）'}。`
  }
}

/** The default text of a letter, one paragraph per line; the first line is the salutation. */
export function defaultLetterText(kind: LetterKind, f: LetterFacts): string {
  const head = `${f.applicant}：`
  const received = `本机关于${cn(f.receivedOn)}收到您提出的政府信息公开申请（申请编号：${f.number}），申请获取“${f.request}”。`
  const lines: string[] = (() => {
    switch (kind) {
      case 'receipt':
        return [
          head,
          `${received}`,
          `根据《中华人民共和国政府信息公开条例》第三十三条的规定，本机关将在收到申请之日起 20 个工作日内予以答复${f.due ? `（预计不晚于${cn(f.due)}；补正、征求意见、延期等情形依法顺延）` : ''}。`,
          '您可以凭申请编号和查询码在本平台“申请查询”页面查看办理进度。查询码请妥善保管。',
        ]
      case 'correction':
        return [
          head,
          received,
          `经审查，您的申请内容不明确。根据《中华人民共和国政府信息公开条例》第三十条的规定，请您对以下内容作出补正：${f.correctionWhat ?? '（补正事项）'}。`,
          `请于${cn(f.correctBy)}前（含当日）提交补正后的申请。答复期限自本机关收到补正后的申请之日起计算。无正当理由逾期不补正的，视为放弃申请，本机关将不再处理该申请。`,
        ]
      case 'consultation':
        return [
          `${f.thirdParty ?? '（第三方）'}：`,
          `本机关收到一份政府信息公开申请，申请公开的信息可能涉及贵方合法权益。根据《中华人民共和国政府信息公开条例》第三十二条的规定，现书面征求贵方意见。`,
          `请于收到本函之日起 15 个工作日内提出意见。逾期未提出意见的，本机关将依照条例的规定决定是否公开。第三方不同意公开且有合理理由的，本机关不予公开；但不公开可能对公共利益造成重大影响的，本机关可以决定予以公开，并将决定公开的内容和理由书面告知贵方。`,
        ]
      case 'extension':
        return [
          head,
          received,
          `因${f.extensionReason ?? '（延期理由）'}，本机关不能在规定期限内作出答复。根据《中华人民共和国政府信息公开条例》第三十三条第二款的规定，经本机关政府信息公开工作机构负责人同意，答复期限延长 ${f.extensionDays ?? 20} 个工作日，至${cn(f.due)}。`,
        ]
      case 'fee':
        return [head, received, ...feeNoticeLines(f.fee)]
      case 'delay':
        return [
          head,
          received,
          `您申请公开政府信息的数量、频次明显超过合理范围。根据《中华人民共和国政府信息公开条例》第三十五条的规定，本机关确定延迟答复，答复期限至${cn(f.delayUntil)}。理由：${f.delayReason ?? ''}。`,
        ]
      case 'decision':
        return [head, received, decisionText(f), appealRights(f)]
    }
  })()
  return lines.join('\n')
}

/** Replaces {占位符} in an agency's own template with the facts; unknown names stay as they are. */
export function fillTemplate(template: string, f: LetterFacts): string {
  const values: Record<string, string> = {
    申请人: f.applicant,
    申请编号: f.number,
    收到日期: cn(f.receivedOn),
    申请内容: f.request,
    答复期限: cn(f.due),
    机关名称: f.agency,
    补正事项: f.correctionWhat ?? '',
    补正期限: cn(f.correctBy),
    延长天数: String(f.extensionDays ?? ''),
    延期理由: f.extensionReason ?? '',
    ...feeTemplateValues(f.fee),
    延迟期限: cn(f.delayUntil),
    依据: f.basis ?? '',
    查询依据: f.queryLaw ?? '',
    查询机关: f.queryOffice ?? '',
    负责公开机关: f.responsibleAgency ?? '',
    负责公开机关联系方式: f.responsibleContact ?? '',
    复议机关: f.reconsiderationBody,
    答复意见: f.outcome ? decisionText(f) : '',
    救济途径: appealRights(f),
  }
  return template.replace(/\{([\u4e00-\u9fff]+)\}/g, (m, k: string) => values[k] ?? m)
}

/** A letter laid out for DOCX and PDF: its 文号 (when issued under one), the date it bears. */
export const letterDocument = (
  kind: LetterKind,
  agency: string,
  number: string,
  body: string,
  date: string,
  reference?: string | null,
): LetterDocument => ({
  agency,
  title: letterKinds[kind],
  reference: reference ? `${reference}\u3000申请编号：${number}` : `申请编号：${number}`,
  paragraphs: body
    .split(/\n+/)
    .map((p) => p.trim())
    .filter(Boolean),
  date: cn(date),
})

/**
 * The 文号 of the n-th letter of a year under an agency's pattern, e.g. 垫司公开〔{year}〕{n}号.
 * Without {year} and {n} a pattern is not a number, so the form refuses it (referencePatternProblem).
 */
export const referenceOf = (pattern: string, year: number, n: number) =>
  pattern.replaceAll('{year}', String(year)).replaceAll('{n}', String(n))

export const referencePatternProblem = (pattern: string): string | undefined =>
  pattern && !pattern.includes('{n}') ? '文号格式须含序号占位符 {n}，如：垫司公开〔{year}〕{n}号' : undefined

/**
 * An agency's own decision template must carry the remedies, which differ by outcome: a refusal
 * must tell of reconsideration first (行政复议法 art. 23 para. 2).
 */
export const decisionTemplateProblem = (template: string): string | undefined =>
  template.trim() && !template.includes('{救济途径}')
    ? '答复书模板须包含 {救济途径}：不予公开的答复须告知先申请行政复议（行政复议法第二十三条第二款）'
    : undefined

export const letterPdf = (doc: LetterDocument) => renderLetterPdf(doc)

export async function letterDocx(doc: LetterDocument): Promise<Buffer> {
  const { AlignmentType, Document, Packer, Paragraph, TextRun } = await import('docx')
  const run = (text: string, opts: { bold?: boolean; size?: number; font?: string } = {}) =>
    new TextRun({
      text,
      bold: opts.bold,
      size: opts.size ?? 32,
      font: { eastAsia: opts.font ?? '仿宋_GB2312', ascii: 'Times New Roman' },
    })
  const d = new Document({
    title: doc.title,
    sections: [
      {
        children: [
          new Paragraph({ alignment: AlignmentType.CENTER, children: [run(doc.agency, { size: 36, font: '黑体' })] }),
          new Paragraph({
            alignment: AlignmentType.CENTER,
            spacing: { after: 200 },
            children: [run(doc.title, { size: 44, font: '方正小标宋简体' })],
          }),
          new Paragraph({
            alignment: AlignmentType.CENTER,
            spacing: { after: 300 },
            children: [run(doc.reference, { size: 24 })],
          }),
          ...doc.paragraphs.map(
            (p, i) =>
              new Paragraph({
                indent: i === 0 ? undefined : { firstLine: 640 },
                spacing: { line: 560 },
                children: [run(p)],
              }),
          ),
          new Paragraph({ alignment: AlignmentType.RIGHT, spacing: { before: 400 }, children: [run(doc.agency)] }),
          new Paragraph({ alignment: AlignmentType.RIGHT, children: [run(doc.date)] }),
        ],
      },
    ],
  })
  return Packer.toBuffer(d)
}
