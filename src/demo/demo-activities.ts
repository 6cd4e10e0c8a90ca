// 垫江县司法局's list of powers and 2020 activities as its report describes them (录入行政许可5项、
// 行政处罚39项、行政给付4项、行政奖励3项、其他行政权力2项、公共服务5项; 6 licensing results; 3
// procurement projects, 44.48 万元), in the import files' own form.

const rows = (n: number, make: (i: number) => Record<string, string>) => Array.from({ length: n }, (_, i) => make(i))
const power = (type: string, name: string, from: string, to = '') => ({
  事项类型: type,
  事项名称: name,
  生效日期: from,
  失效日期: to,
})

export const activities = {
  powers: [
    power('行政许可', '律师事务所设立许可', '2019-01-01'),
    power('行政许可', '律师事务所变更许可', '2019-01-01'),
    power('行政许可', '基层法律服务工作者执业核准', '2019-01-01'),
    power('行政许可', '律师事务所分所设立许可', '2020-03-01'),
    power('行政许可', '公证员执业许可初审', '2020-03-01'),
    ...rows(4, (i) => power('行政给付', `法律援助补贴发放（${i + 1}）`, '2019-01-01')),
    ...rows(3, (i) => power('行政奖励', `人民调解工作表彰（${i + 1}）`, '2019-01-01')),
    ...rows(2, (i) => power('其他行政权力', `司法行政监督事项（${i + 1}）`, '2019-01-01')),
    ...rows(5, (i) => power('公共服务', `公共法律服务事项（${i + 1}）`, '2019-01-01')),
    // One item of the 2019 list that lapsed in 2020: 其他对外管理服务事项 15 → 14.
    power('行政确认', '基层法律服务所年度考核备案', '2019-01-01', '2020-07-01'),
    ...rows(39, (i) => power('行政处罚', `司法行政处罚事项（${i + 1}）`, '2019-01-01')),
  ],
  decisions: [
    ...rows(6, (i) => ({
      类别: '行政许可',
      决定日期: `2020-${String(2 + i * 2).padStart(2, '0')}-15`,
      事项: '行政许可决定',
      件数: '1',
    })),
    // Held by the services platform: monthly counts, 1,780 in the year.
    ...rows(12, (i) => ({
      类别: '其他对外管理服务事项',
      决定日期: `2020-${String(i + 1).padStart(2, '0')}-28`,
      事项: '公共法律服务办件（月度汇总）',
      件数: String(i === 11 ? 152 : 148),
    })),
  ],
  fees: [] as Record<string, string>[],
  procurement: [
    { 签订日期: '2020-04-20', 项目名称: '办公设备采购', '金额（元）': '100000.00' },
    { 签订日期: '2020-07-10', 项目名称: '社区矫正信息化设备采购', '金额（元）': '148000.00' },
    { 签订日期: '2020-10-12', 项目名称: '法律援助服务采购', '金额（元）': '196800.00' },
  ],
}
