import { appealGroups, formats, sectionTitles } from '../../src/reports/report-format.ts'
import type { AnnualReport, Cell } from '../../src/reports/report.ts'

// Flattens a report the ways real web pages and copies flatten it, so the importer is tested on
// more than the examples: cells one per line with '|', rows on one line separated by spaces or tabs,
// labels broken across lines, traditional characters and full-width digits.

export type Style =
  'pipes' | 'spaces' | 'tabs' | 'broken-labels' | 'traditional' | 'glued' | 'glued-fullwidth' | 'digit-spaced'

const fullWidth = (s: string) => s.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)))

const cellText = (c: Cell, style: Style) => {
  if (c === null) return style === 'glued' ? '/' : style === 'glued-fullwidth' ? '—' : ''
  const s = String(c)
  if (style === 'digit-spaced') return s.replace(/^-?\d+/, (whole) => whole.replace(/(?<=\d)(?=\d)/g, ' '))
  return style === 'traditional' || style === 'glued-fullwidth' ? fullWidth(s) : s
}

function row(label: string, cells: Cell[], style: Style): string[] {
  switch (style) {
    case 'pipes':
      return [`${label} |`, ...cells.map((c) => `${cellText(c, style)} |`)]
    case 'tabs':
      return [[label, ...cells.map((c) => cellText(c, style))].join('\t')]
    // A table's text as a crawler or a careless copy takes it: every cell's text run together (a
    // blank shown by its mark, / or —), the rows joined into one line by finish().
    case 'glued':
    case 'glued-fullwidth':
      return [`${label}${cells.map((c) => cellText(c, style)).join('')}⟪glue⟫`]
    // Each digit set apart as PDF-to-text tools often give it ("1 2" for 12), cells by two spaces.
    case 'digit-spaced':
      return [`${label} ${cells.map((c) => cellText(c, style) || '—').join('  ')}`]
    case 'broken-labels': {
      const cut = Math.max(1, Math.floor(label.length / 2))
      return [label.slice(0, cut), `${label.slice(cut)} ${cells.map((c) => cellText(c, style) || '—').join(' ')}`]
    }
    default:
      return [`${label} ${cells.map((c) => cellText(c, style) || '—').join(' ')}`]
  }
}

const trad: Record<string, string> = {
  开: '開',
  请: '請',
  数: '數',
  结: '結',
  转: '轉',
  处: '處',
  属: '屬',
  国: '國',
  关: '關',
  务: '務',
  过: '過',
  执: '執',
  询: '詢',
  项: '項',
  无: '無',
  现: '現',
  补: '補',
  诉: '訴',
  复: '復',
  议: '議',
  讼: '訟',
  维: '維',
  审: '審',
  总: '總',
  计: '計',
}

export function flatten(report: AnnualReport, style: Style, opts: { title?: string; cutAfter?: string } = {}): string {
  const f = formats[report.format]
  const lines: string[] = []
  if (opts.title) lines.push(opts.title)
  lines.push(sectionTitles.overview, report.sections.overview ?? '（略）')
  lines.push(sectionTitles.article20)
  for (const block of f.article20) {
    lines.push(block.caption, `信息内容 ${block.columnLabels.join(' ')}`)
    for (const r of block.rows) {
      const values = report.article20[r.key]
      if (values)
        lines.push(
          ...row(
            r.label,
            r.columns.map((c) => values[c.key] ?? null),
            style,
          ),
        )
    }
  }
  lines.push(
    sectionTitles.applications,
    '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）',
    '申请人情况',
    '自然人 法人或其他组织 总计',
    '商业企业 科研机构 社会公益组织 法律服务机构 其他',
  )
  let group: string | undefined
  for (const r of f.applicationRows) {
    if (r.code === 'GRANTED') lines.push('三、本年度办理结果')
    if (r.group && r.group !== group) lines.push(r.group)
    group = r.group
    const cells = report.applications.rows[r.code]
    if (cells) lines.push(...row(r.label, cells, style))
    if (opts.cutAfter === r.code) return finish(lines, style)
  }
  lines.push(
    sectionTitles.appeals,
    '行政复议 行政诉讼',
    '结果维持 结果纠正 其他结果 尚未审结 总计 未经复议直接起诉 复议后起诉',
    '结果维持 结果纠正 其他结果 尚未审结 总计 结果维持 结果纠正 其他结果 尚未审结 总计',
  )
  const appeals = appealGroups.flatMap((g) => report.appeals[g] ?? [])
  lines.push(
    style === 'pipes'
      ? appeals.map((c) => `${cellText(c, style)} |`).join('\n')
      : style === 'glued' || style === 'glued-fullwidth'
        ? appeals.map((c) => cellText(c, style)).join('')
        : appeals
            .map((c) => cellText(c, style) || '—')
            .join(style === 'tabs' ? '\t' : style === 'digit-spaced' ? '  ' : ' '),
  )
  lines.push(
    sectionTitles.problems,
    report.sections.problems ?? '无。',
    sectionTitles.other,
    report.sections.other ?? '无。',
  )
  return finish(lines, style)
}

const finish = (lines: string[], style: Style) => {
  // Glued rows (marked so by row()) run on into the next line, as one table's text does.
  const text = lines.join('\n').replace(/⟪glue⟫\n/g, '')
  return style === 'traditional' ? [...text].map((c) => trad[c] ?? c).join('') : text
}
