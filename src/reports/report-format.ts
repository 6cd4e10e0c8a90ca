// The two national report formats as data (law-and-format.md §2.3–2.6; report-interchange.md).
// One renderer, importer and checker serve both; a third format is a new definition here.
// `anchor` holds label fragments from different parts of the label, any one of which finds the row
// in a flattened published report: a label broken across lines, or interleaved with a neighbouring
// cell's words in a PDF, keeps at least one intact. The first match after the previous row counts.

export type FormatId = '2019' | '2021'

export type CellKind = 'count' | 'change' | 'amountWan'

export type Article20Column = { key: string; label: string; kind: CellKind }
export type Article20Row = { key: string; label: string; anchor: RegExp; columns: readonly Article20Column[] }
export type Article20Block = { caption: string; columnLabels: readonly string[]; rows: readonly Article20Row[] }

export type ApplicationRow = {
  code: string
  /** The label as printed (verbatim), without the group prefix. */
  label: string
  /** The outcome group the row belongs to, when it is a sub-row: （三）不予公开 etc. */
  group?: string
  anchor: RegExp
  /** Counted in R3's sum of outcomes. */
  outcome: boolean
}

export type ReportFormat = {
  id: FormatId
  name: string
  document: string
  article20: readonly Article20Block[]
  applicationRows: readonly ApplicationRow[]
}

export const applicantColumns = [
  '自然人',
  '商业企业',
  '科研机构',
  '社会公益组织',
  '法律服务机构',
  '其他',
  '总计',
] as const
export const appealGroups = ['reconsideration', 'litigationDirect', 'litigationAfterReconsideration'] as const
export type AppealGroup = (typeof appealGroups)[number]
export const appealGroupLabels: Record<AppealGroup, string> = {
  reconsideration: '行政复议',
  litigationDirect: '行政诉讼（未经复议直接起诉）',
  litigationAfterReconsideration: '行政诉讼（复议后起诉）',
}
export const appealColumns = ['结果维持', '结果纠正', '其他结果', '尚未审结', '总计'] as const

export const checkNote = '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）'

const count = (key: string, label: string): Article20Column => ({ key, label, kind: 'count' })

const items2019 = [
  count('previousYearItems', '上一年项目数量'),
  { key: 'change', label: '本年增/减', kind: 'change' as const },
  count('decisions', '处理决定数量'),
]
const lifecycle2021 = [
  count('issued', '本年制发件数'),
  count('repealed', '本年废止件数'),
  count('inForce', '现行有效件数'),
]

const outcomeGroup = {
  deny: '（三）不予公开',
  unable: '（四）无法提供',
  notProcessed: '（五）不予处理',
  other: '（六）其他处理',
}

const commonHead: ApplicationRow[] = [
  { code: 'NEW', label: '一、本年新收政府信息公开申请数量', anchor: /本年新收|新收政府信息/, outcome: false },
  { code: 'CARRIED_IN', label: '二、上年结转政府信息公开申请数量', anchor: /上年结转/, outcome: false },
  { code: 'GRANTED', label: '（一）予以公开', anchor: /予以公开/, outcome: true },
  {
    code: 'PARTIAL',
    label: '（二）部分公开（区分处理的，只计这一情形，不计其他情形）',
    anchor: /部分公开|区分处理/,
    outcome: true,
  },
  {
    code: 'DENY_SECRET',
    label: '1.属于国家秘密',
    group: outcomeGroup.deny,
    anchor: /国家秘密|属于国家/,
    outcome: true,
  },
  {
    code: 'DENY_LAW',
    label: '2.其他法律行政法规禁止公开',
    group: outcomeGroup.deny,
    anchor: /禁止公开|法律行政法规/,
    outcome: true,
  },
  {
    code: 'DENY_SECURITY',
    label: '3.危及“三安全一稳定”',
    group: outcomeGroup.deny,
    anchor: /三安全|一稳定|危及/,
    outcome: true,
  },
  {
    code: 'DENY_THIRD_PARTY',
    label: '4.保护第三方合法权益',
    group: outcomeGroup.deny,
    anchor: /第三方|合法权益/,
    outcome: true,
  },
  {
    code: 'DENY_INTERNAL',
    label: '5.属于三类内部事务信息',
    group: outcomeGroup.deny,
    anchor: /内部事务|三类内部/,
    outcome: true,
  },
  {
    code: 'DENY_PROCESS',
    label: '6.属于四类过程性信息',
    group: outcomeGroup.deny,
    anchor: /过程性|四类过程/,
    outcome: true,
  },
  {
    code: 'DENY_ENFORCEMENT_FILE',
    label: '7.属于行政执法案卷',
    group: outcomeGroup.deny,
    anchor: /执法案卷|行政执法/,
    outcome: true,
  },
  {
    code: 'DENY_QUERY',
    label: '8.属于行政查询事项',
    group: outcomeGroup.deny,
    anchor: /查询事项|行政查询/,
    outcome: true,
  },
  {
    code: 'UNABLE_NOT_HELD',
    label: '1.本机关不掌握相关政府信息',
    group: outcomeGroup.unable,
    anchor: /不掌握|本机关不/,
    outcome: true,
  },
  {
    code: 'UNABLE_NEEDS_CREATION',
    label: '2.没有现成信息需要另行制作',
    group: outcomeGroup.unable,
    anchor: /另行制作|没有现成/,
    outcome: true,
  },
  {
    code: 'UNABLE_UNCLEAR',
    label: '3.补正后申请内容仍不明确',
    group: outcomeGroup.unable,
    anchor: /仍不明确|补正后申请/,
    outcome: true,
  },
  {
    code: 'NP_PETITION',
    label: '1.信访举报投诉类申请',
    group: outcomeGroup.notProcessed,
    anchor: /信访|举报投诉/,
    outcome: true,
  },
  { code: 'NP_REPEAT', label: '2.重复申请', group: outcomeGroup.notProcessed, anchor: /重[复複]申请/, outcome: true },
  {
    code: 'NP_PUBLICATION',
    label: '3.要求提供公开出版物',
    group: outcomeGroup.notProcessed,
    anchor: /出版物|要求提供公开/,
    outcome: true,
  },
  {
    code: 'NP_MASSIVE',
    label: '4.无正当理由大量反复申请',
    group: outcomeGroup.notProcessed,
    anchor: /大量反[复覆]|无正当理由大量/,
    outcome: true,
  },
  {
    code: 'NP_CONFIRM',
    label: '5.要求行政机关确认或重新出具已获取信息',
    group: outcomeGroup.notProcessed,
    anchor: /重新出具|确认或重新|已获取信息/,
    outcome: true,
  },
]
const commonTail: ApplicationRow[] = [
  { code: 'TOTAL', label: '（七）总计', anchor: /总计/, outcome: false },
  { code: 'CARRIED_OUT', label: '四、结转下年度继续办理', anchor: /结转下年|下年度继续/, outcome: false },
]

export const format2019: ReportFormat = {
  id: '2019',
  name: '2019年试行格式',
  document: '国办公开办函〔2019〕60号',
  article20: [
    {
      caption: '第二十条第（一）项',
      columnLabels: ['本年新制作数量', '本年新公开数量', '对外公开总数量'],
      rows: [
        {
          key: 'rules',
          label: '规章',
          anchor: /规章/,
          columns: [
            count('newlyMade', '本年新制作数量'),
            count('newlyPublished', '本年新公开数量'),
            count('totalPublished', '对外公开总数量'),
          ],
        },
        {
          key: 'normativeDocuments',
          label: '规范性文件',
          anchor: /规范性文件/,
          columns: [
            count('newlyMade', '本年新制作数量'),
            count('newlyPublished', '本年新公开数量'),
            count('totalPublished', '对外公开总数量'),
          ],
        },
      ],
    },
    {
      caption: '第二十条第（五）项',
      columnLabels: ['上一年项目数量', '本年增/减', '处理决定数量'],
      rows: [
        { key: 'licensing', label: '行政许可', anchor: /行政许可/, columns: items2019 },
        { key: 'otherServices', label: '其他对外管理服务事项', anchor: /对外管理服务/, columns: items2019 },
      ],
    },
    {
      caption: '第二十条第（六）项',
      columnLabels: ['上一年项目数量', '本年增/减', '处理决定数量'],
      rows: [
        { key: 'penalties', label: '行政处罚', anchor: /行政处罚/, columns: items2019 },
        { key: 'coercion', label: '行政强制', anchor: /行政强制/, columns: items2019 },
      ],
    },
    {
      caption: '第二十条第（八）项',
      columnLabels: ['上一年项目数量', '本年增/减'],
      rows: [{ key: 'fees', label: '行政事业性收费', anchor: /事业性收费/, columns: items2019.slice(0, 2) }],
    },
    {
      caption: '第二十条第（九）项',
      columnLabels: ['采购项目数量', '采购总金额'],
      rows: [
        {
          key: 'procurement',
          label: '政府集中采购',
          anchor: /集中采购/,
          columns: [count('projects', '采购项目数量'), { key: 'amountWan', label: '采购总金额', kind: 'amountWan' }],
        },
      ],
    },
  ],
  applicationRows: [
    ...commonHead,
    { code: 'OTHER', label: '（六）其他处理', anchor: /其他处理/, outcome: true },
    ...commonTail,
  ],
}

export const format2021: ReportFormat = {
  id: '2021',
  name: '2021年格式',
  document: '国办公开办函〔2021〕30号',
  article20: [
    {
      caption: '第二十条第（一）项',
      columnLabels: ['本年制发件数', '本年废止件数', '现行有效件数'],
      rows: [
        { key: 'rules', label: '规章', anchor: /规章/, columns: lifecycle2021 },
        { key: 'normativeDocuments', label: '行政规范性文件', anchor: /规范性文件/, columns: lifecycle2021 },
      ],
    },
    {
      caption: '第二十条第（五）项',
      columnLabels: ['本年处理决定数量'],
      rows: [
        { key: 'licensing', label: '行政许可', anchor: /行政许可/, columns: [count('decisions', '本年处理决定数量')] },
      ],
    },
    {
      caption: '第二十条第（六）项',
      columnLabels: ['本年处理决定数量'],
      rows: [
        { key: 'penalties', label: '行政处罚', anchor: /行政处罚/, columns: [count('decisions', '本年处理决定数量')] },
        { key: 'coercion', label: '行政强制', anchor: /行政强制/, columns: [count('decisions', '本年处理决定数量')] },
      ],
    },
    {
      caption: '第二十条第（八）项',
      columnLabels: ['本年收费金额（单位：万元）'],
      rows: [
        {
          key: 'fees',
          label: '行政事业性收费',
          anchor: /事业性收费/,
          columns: [{ key: 'amountWan', label: '本年收费金额（单位：万元）', kind: 'amountWan' }],
        },
      ],
    },
  ],
  applicationRows: [
    ...commonHead,
    {
      code: 'OTHER_NO_CORRECTION',
      label: '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请',
      group: outcomeGroup.other,
      anchor: /逾期不补|无正当理由逾|不补正/,
      outcome: true,
    },
    {
      code: 'OTHER_NO_FEE',
      label: '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请',
      group: outcomeGroup.other,
      anchor: /收费通知|未按收费|缴纳费用|逾期未按/,
      outcome: true,
    },
    { code: 'OTHER_OTHER', label: '3.其他', group: outcomeGroup.other, anchor: /其他/, outcome: true },
    ...commonTail,
  ],
}

export const formats: Record<FormatId, ReportFormat> = { '2019': format2019, '2021': format2021 }

/** law-and-format.md §2.1: reports for 2019 and 2020 use the trial format, later years the 2021 one. */
export const formatForYear = (year: number): FormatId => (year <= 2020 ? '2019' : '2021')

export const sectionTitles = {
  overview: '一、总体情况',
  article20: '二、主动公开政府信息情况',
  applications: '三、收到和处理政府信息公开申请情况',
  appeals: '四、政府信息公开行政复议、行政诉讼情况',
  problems: '五、存在的主要问题及改进情况',
  other: '六、其他需要报告的事项',
} as const
