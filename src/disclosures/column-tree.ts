// The standard column tree each agency gets on creation (issue #4), editable afterwards. A column's
// class carries its update rule from the website inspection indicators (国办秘函〔2019〕19号,
// law-and-format.md §4): 动态/要闻 within 2 weeks, 通知公告/政策文件 within 6 months.

export type ColumnClass =
  'guide' | 'rules' | 'catalogue' | 'statutory' | 'report' | 'news' | 'notice' | 'policy' | 'other'

/** How long a column may go without an update: a number of days, or of calendar months (民法典 art. 202). */
export type UpdatePeriod = { days: number } | { months: number }

export const updateRule: Record<ColumnClass, UpdatePeriod | null> = {
  guide: null,
  rules: null,
  catalogue: null,
  statutory: null,
  report: null,
  news: { days: 14 },
  notice: { months: 6 },
  policy: { months: 6 },
  other: null,
}

export type ColumnDef = { name: string; class: ColumnClass; article20Item?: number; children?: ColumnDef[] }

/** 条例 art. 20: the fifteen statutory items, each a column under 法定主动公开内容. */
export const article20Items: readonly { item: number; name: string; class: ColumnClass }[] = [
  { item: 1, name: '法规文件', class: 'policy' },
  { item: 2, name: '机构职能', class: 'other' },
  { item: 3, name: '规划信息', class: 'other' },
  { item: 4, name: '统计信息', class: 'other' },
  { item: 5, name: '行政许可和对外管理服务', class: 'other' },
  { item: 6, name: '行政处罚和行政强制', class: 'other' },
  { item: 7, name: '财政预决算', class: 'other' },
  { item: 8, name: '行政事业性收费', class: 'other' },
  { item: 9, name: '政府集中采购', class: 'other' },
  { item: 10, name: '重大建设项目', class: 'other' },
  { item: 11, name: '民生政策措施', class: 'other' },
  { item: 12, name: '突发公共事件应对', class: 'other' },
  { item: 13, name: '监督检查情况', class: 'other' },
  { item: 14, name: '公务员招考录用', class: 'other' },
  { item: 15, name: '其他法定主动公开信息', class: 'other' },
]

export const standardColumns: readonly ColumnDef[] = [
  { name: '政府信息公开指南', class: 'guide' },
  // The agency's rules of disclosure work (issue #12; migration 2026-12-05-05 gives it to existing agencies).
  { name: '政府信息公开制度', class: 'rules' },
  { name: '政府信息公开目录', class: 'catalogue' },
  {
    name: '法定主动公开内容',
    class: 'statutory',
    children: article20Items.map((a) => ({ name: a.name, class: a.class, article20Item: a.item })),
  },
  { name: '政府信息公开年报', class: 'report' },
  { name: '部门动态', class: 'news' },
  { name: '通知公告', class: 'notice' },
  { name: '政策文件', class: 'policy' },
  { name: '政策解读', class: 'other' },
]

/** 索引号 (law-and-format.md §5.3): prefix (the USCC by default) / year - five-digit serial. */
export const formatIndexNumber = (prefix: string, year: number, serial: number, month?: number) =>
  `${prefix}/${year}${month ? String(month).padStart(2, '0') : ''}-${String(serial).padStart(5, '0')}`

/** How an agency writes its index numbers: which prefix, and the year or year-and-month form seen on some sites. */
export type IndexFormat = { prefix: 'uscc' | 'org' | 'custom'; custom?: string | undefined; period: 'year' | 'month' }
export const defaultIndexFormat: IndexFormat = { prefix: 'uscc', period: 'year' }

/** The prefix: the 18-character USCC, the 9-character 组织机构代码 inside it (positions 9–17), or the agency's own. */
export const indexPrefix = (format: IndexFormat, creditCode: string) =>
  format.prefix === 'org'
    ? creditCode.slice(8, 17)
    : format.prefix === 'custom' && format.custom
      ? format.custom
      : creditCode
