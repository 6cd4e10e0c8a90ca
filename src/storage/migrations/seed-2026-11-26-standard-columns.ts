// Frozen seed of migration 2026-11-26-05-disclosures: the standard column tree it gives each agency
// that already exists, a copy of disclosures/column-tree.ts `standardColumns` as it stood then. Do
// not edit: test/migration-seeds.test.ts compares it with today's `standardColumns`, so that a change
// to the tree for new agencies is a conscious one (with its own migration for existing agencies).

export type SeedColumn = Readonly<{
  name: string
  class: string
  article20Item?: number
  children?: readonly SeedColumn[]
}>

export const standardColumnsSeed: readonly SeedColumn[] = [
  { name: '政府信息公开指南', class: 'guide' },
  { name: '政府信息公开目录', class: 'catalogue' },
  {
    name: '法定主动公开内容',
    class: 'statutory',
    children: [
      { name: '法规文件', class: 'policy', article20Item: 1 },
      { name: '机构职能', class: 'other', article20Item: 2 },
      { name: '规划信息', class: 'other', article20Item: 3 },
      { name: '统计信息', class: 'other', article20Item: 4 },
      { name: '行政许可和对外管理服务', class: 'other', article20Item: 5 },
      { name: '行政处罚和行政强制', class: 'other', article20Item: 6 },
      { name: '财政预决算', class: 'other', article20Item: 7 },
      { name: '行政事业性收费', class: 'other', article20Item: 8 },
      { name: '政府集中采购', class: 'other', article20Item: 9 },
      { name: '重大建设项目', class: 'other', article20Item: 10 },
      { name: '民生政策措施', class: 'other', article20Item: 11 },
      { name: '突发公共事件应对', class: 'other', article20Item: 12 },
      { name: '监督检查情况', class: 'other', article20Item: 13 },
      { name: '公务员招考录用', class: 'other', article20Item: 14 },
      { name: '其他法定主动公开信息', class: 'other', article20Item: 15 },
    ],
  },
  { name: '政府信息公开年报', class: 'report' },
  { name: '部门动态', class: 'news' },
  { name: '通知公告', class: 'notice' },
  { name: '政策文件', class: 'policy' },
  { name: '政策解读', class: 'other' },
]
