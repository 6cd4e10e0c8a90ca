// Realistic disclosure items and search queries for the search bench, deterministic (seeded).
//
// A TypeScript port of the project specification's perf/gen-data.mjs (the data generator behind
// the engine measurements in the stack decision), kept self-contained here because the
// specification does not ship with the project. Same PRNG (mulberry32, seed 20250101), same
// vocabulary, same order of draws, so item n here is row n there: titles of 10–30 characters,
// bodies of 300–2000 characters built from a Zipf-weighted vocabulary of government terms with
// connectives, numbers, punctuation and a long tail of proper names (places, companies, people);
// a category, a department and a channel each; a publication date in 2021–2025.
//
// Its query list (own seed, 777): 200 strings of 3–6 Han characters (100 vocabulary terms, 50
// proper names and 50 substrings of bodies sampled evenly over the data) and the 20 common
// two-character words. For the bench we add single characters, common and rare, so that every
// length from 1 to 6 is measured.

export type RealisticItem = Readonly<{
  /** 1-based, as gen-data's id column. */
  n: number
  category: string
  department: string
  channel: string
  /** YYYY-MM-DD, 2021-01-01..2025-12-31. */
  date: string
  title: string
  body: string
}>

export type QueryKind = 'char' | 'word2' | 'vocab' | 'name' | 'substr'
export type RealisticQuery = Readonly<{ q: string; kind: QueryKind }>

const W = (s: string) => s.trim().split(/\s+/)

const NOUNS =
  W(`政府信息公开 信息公开 依申请公开 主动公开 政务公开 人民政府 政策文件 规范性文件 实施方案 工作要点 年度报告
预算 决算 三公经费 政府采购 招标公告 中标结果 项目建设 重大建设项目 公共资源交易 行政许可 行政处罚 行政强制 行政复议
行政诉讼 双随机一公开 营商环境 放管服改革 乡村振兴 城乡融合 高质量发展 新型城镇化 产业结构 招商引资 民营经济 中小企业
科技创新 数字政府 一网通办 政务服务中心 便民服务 社会保障 养老保险 医疗保险 失业保险 工伤保险 最低生活保障 特困人员
救助供养 残疾人 退役军人 就业创业 职业技能培训 高校毕业生 农民工 工资支付 劳动合同 安全生产 隐患排查 应急预案 防汛抗旱
森林防火 地质灾害 消防安全 食品安全 药品安全 公共卫生 基本医疗 医疗机构 义务教育 学前教育 职业教育 校园安全 生态环境保护
大气污染防治 水污染防治 土壤污染 环境影响评价 排污许可 河长制 垃圾分类 碳达峰 碳中和 节能减排 国土空间规划 土地征收
征地补偿 房屋征收 棚户区改造 保障性住房 老旧小区改造 城市更新 交通基础设施 公路建设 农村公路 公共交通 水利工程 农田水利
高标准农田 粮食安全 耕地保护 农业补贴 种粮补贴 动物防疫 文物保护 公共文化服务 全民健身 旅游市场 统计数据 国民经济
社会发展 统计公报 审计结果 整改情况 人大代表建议 政协委员提案 办理结果 新闻发布会 政策解读 权责清单 责任清单 负面清单
信用体系 失信惩戒 行政执法 执法公示 专项行动 专项资金 资金分配 转移支付 债务管理 地方政府债券 国有资产 国有企业 人事任免
公务员招录 事业单位招聘 机构职能 领导信息 规划计划 五年规划 年度计划 工作总结 督查检查 考核评价 绩效评价 意见征集 听证会
座谈会 专家论证 风险评估 合法性审查 集体讨论决定 社区 街道办事处 乡镇人民政府 村民委员会 居民委员会 网格化管理 基层治理
矛盾纠纷 信访工作 法律援助 普法宣传 人口普查 经济普查 价格监测 市场秩序 知识产权 质量安全 特种设备 标准化 政务数据
数据共享 电子证照 办事指南 申请材料 办理时限 收费标准 咨询电话 监督投诉 答复 告知书 补正 延期答复 不予公开 部分公开
国家秘密 商业秘密 个人隐私 第三方意见 政府网站 政务新媒体 政府公报 统计年鉴 财政收入 财政支出 一般公共预算 政府性基金
税收收入 固定资产投资 社会消费品零售总额 居民人均可支配收入 城镇登记失业率 常住人口 户籍人口 城镇化率`)
const VERBS =
  W(`加强 推进 落实 做好 开展 组织 实施 提升 保障 促进 支持 鼓励 规范 完善 健全 建立 深化 优化 强化 统筹 协调
指导 监督 管理 服务 印发 公布 发布 审议 通过 批准 报送 征求 答复 核查 整改 部署 调度 评估 推动 巩固 拓展 严格执行`)
const ADV = W(`进一步 全面 深入 持续 切实 有效 依法 严格 积极 稳步 加快 不断 及时 认真 扎实`)
const FUNC = W(
  `的 和 与 及 对 在 等 是 为 将 已 并 由 按照 根据 为了 确保 坚持 围绕 聚焦 有关 关于 相关 各项 全市 全区 本市 各级 各部门`,
)
const TAILS = W(`工作 情况 机制 制度 体系 能力 水平 质量 效率 措施 任务 目标 责任 要求 事项 问题 成效 进展 标准 流程`)
const DOCTYPES = W(
  `通知 意见 办法 规定 实施方案 决定 批复 公告 通告 公示 报告 函 细则 指引 通报 工作方案 管理办法 实施细则`,
)
export const CATEGORIES =
  W(`政策文件 政策解读 规划计划 财政预决算 政府采购 人事信息 行政许可 行政处罚 统计信息 应急管理 生态环境
公共资源配置 重大建设项目 社会救助 教育 医疗卫生 食品药品 安全生产 征地拆迁 建议提案办理`)
export const DEPTS =
  W(`市人民政府办公室 市发展和改革委员会 市教育局 市科学技术局 市工业和信息化局 市公安局 市民政局 市司法局 市财政局
市人力资源和社会保障局 市自然资源和规划局 市生态环境局 市住房和城乡建设局 市交通运输局 市水务局 市农业农村局 市商务局
市文化广电旅游局 市卫生健康委员会 市退役军人事务局 市应急管理局 市审计局 市市场监督管理局 市统计局 市医疗保障局 市城市管理局
市行政审批局 市信访局 市数据资源管理局 市林业局`)
const CHANNELS = W(`信息公开目录 政府网站 政府公报 政务新媒体 新闻发布`)

const NAME_CHARS = [
  ...'东西南北中青山河湖江海平安新华兴和丰宁康泰福民乐长永金银石桥林园阳春秋明德顺龙凤云天光清泉溪桂梅松柏红星朝晨花溪柳桃杏枫竹城港湾峰岭坪塘沟渠田坝洲滨岗庄营屯堡寨口台',
]
const PLACE_SUFFIX = W('街道 镇 乡 村 社区 路 大道 河 湖 小学 中学 医院 公园 工业园 开发区 水库 大桥 片区')
const FIRM_SUFFIX = W('建设工程有限公司 科技有限公司 物业管理有限公司 环保科技有限公司 建筑劳务有限公司 商贸有限公司')
const SURNAMES = [
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈',
]

const COMMON_TWO = W(
  '预算 采购 社区 公开 补贴 防汛 招聘 医保 拆迁 养老 规划 教育 环保 扶贫 消防 交通 住房 就业 税收 审计',
)
/** Single characters: very common ones (in most items), middling ones and rare ones (proper names only). */
const SINGLE = [...'公政的府信预防招社桥溪朝坝堡寨']

/** mulberry32, as gen-data. */
function prng(seed: number) {
  let s = seed
  return () => {
    s |= 0
    s = (s + 0x6d2b79f5) | 0
    let t = Math.imul(s ^ (s >>> 15), 1 | s)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** The items 1..count in order; `samples` fills with what the query list needs as they go by. */
export function* realisticItems(
  count: number,
  samples: { bodies: string[]; names: string[] } = { bodies: [], names: [] },
): Generator<RealisticItem> {
  const rnd = prng(20250101)
  const ri = (a: number, b: number) => a + Math.floor(rnd() * (b - a + 1))
  const pick = <T>(arr: readonly T[]): T => arr[Math.floor(rnd() * arr.length)]!
  // Zipf-ish weighted sampler (weight 1/(rank+1)^s over a seeded shuffle of the list).
  const zipf = (list: readonly string[], s = 0.9) => {
    const a = [...list]
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1))
      ;[a[i], a[j]] = [a[j]!, a[i]!]
    }
    const cum: number[] = []
    let t = 0
    a.forEach((_, i) => cum.push((t += 1 / (i + 1) ** s)))
    return () => {
      const x = rnd() * t
      let lo = 0
      let hi = cum.length - 1
      while (lo < hi) {
        const m = (lo + hi) >> 1
        if (cum[m]! < x) lo = m + 1
        else hi = m
      }
      return a[lo]!
    }
  }

  let names: string[] = [] // proper names used in the current body (for queries)
  const properName = () => {
    const r = rnd()
    const two = pick(NAME_CHARS) + pick(NAME_CHARS)
    const n = r < 0.6 ? two + pick(PLACE_SUFFIX) : r < 0.85 ? two + pick(FIRM_SUFFIX) : pick(SURNAMES) + two
    names.push(n)
    return n
  }
  const noun = zipf(NOUNS)
  const verb = zipf(VERBS)
  const tail = zipf(TAILS)
  const func = zipf(FUNC, 0.6)
  const cat = zipf(CATEGORIES, 0.7)
  const dept = zipf(DEPTS, 0.8)
  const chan = zipf(CHANNELS, 1.2)

  const clause = () => {
    const parts: string[] = []
    const n = ri(2, 5)
    if (rnd() < 0.5) parts.push(func())
    for (let i = 0; i < n; i++) {
      const r = rnd()
      if (r < 0.15) parts.push(pick(ADV))
      if (r < 0.55) parts.push(verb())
      parts.push(rnd() < 0.08 ? properName() : noun())
      if (rnd() < 0.3) parts.push(func())
      if (rnd() < 0.25) parts.push(tail())
      if (rnd() < 0.06)
        parts.push(
          rnd() < 0.5 ? `${ri(2018, 2025)}年` : `${ri(1, 500)}${pick(['个', '项', '万元', '亿元', '件', '人次', '%'])}`,
        )
    }
    return parts.join('')
  }
  const body = (len: number) => {
    let s = ''
    names = []
    while (s.length < len) s += clause() + (rnd() < 0.7 ? '，' : '。')
    return s.slice(0, len - 1) + '。'
  }
  const title = () => {
    for (;;) {
      const r = rnd()
      const t =
        r < 0.5
          ? `关于${pick(ADV)}${verb()}${noun()}${tail()}的${pick(DOCTYPES)}`
          : r < 0.8
            ? `${ri(2021, 2025)}年${dept()}${noun()}${pick(DOCTYPES)}`
            : `${noun()}${verb()}${noun()}${pick(DOCTYPES)}`
      if (t.length >= 10 && t.length <= 30) return t
    }
  }
  const DAY0 = Date.UTC(2021, 0, 1)
  const DAYS = 1826 // 2021-01-01 .. 2025-12-31
  const date = () => new Date(DAY0 + ri(0, DAYS - 1) * 86400000).toISOString().slice(0, 10)

  const every = Math.max(1, Math.floor(count / 400))
  for (let n = 1; n <= count; n++) {
    const b = body(ri(300, 2000))
    if (n % every === 0) {
      samples.bodies.push(b)
      samples.names.push(...names.filter((x) => b.includes(x)))
    }
    // The draws in gen-data's order: category, department, channel, date, title.
    const category = cat()
    const department = dept()
    const channel = chan()
    const day = date()
    yield { n, category, department, channel, date: day, title: title(), body: b }
  }
}

/** gen-data's query list for the samples `realisticItems` collected, plus single characters. */
export function realisticQueries(samples: { bodies: readonly string[]; names: readonly string[] }): RealisticQuery[] {
  const rnd = prng(777)
  const ri = (a: number, b: number) => a + Math.floor(rnd() * (b - a + 1))
  const pick = <T>(arr: readonly T[]): T => arr[Math.floor(rnd() * arr.length)]!
  const isCjk = (s: string) => /^[\u4e00-\u9fff]+$/.test(s)
  const q36: string[] = []
  const voc36 = NOUNS.filter((w) => w.length >= 3 && w.length <= 6)
  while (q36.length < 100) {
    const w = pick(voc36)
    if (!q36.includes(w)) q36.push(w)
  }
  while (q36.length < 150) {
    const w = pick(samples.names).slice(0, ri(3, 6))
    if (w.length >= 3 && !q36.includes(w)) q36.push(w)
  }
  while (q36.length < 200) {
    const b = pick(samples.bodies)
    const len = ri(3, 6)
    const at = ri(0, b.length - len)
    const s = b.slice(at, at + len)
    if (isCjk(s) && !q36.includes(s)) q36.push(s)
  }
  const kind: QueryKind[] = q36.map((_, i) => (i < 100 ? 'vocab' : i < 150 ? 'name' : 'substr'))
  for (let i = q36.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1))
    ;[q36[i], q36[j]] = [q36[j]!, q36[i]!]
    ;[kind[i], kind[j]] = [kind[j]!, kind[i]!]
  }
  return [
    ...SINGLE.map((q) => ({ q, kind: 'char' as const })),
    ...COMMON_TWO.map((q) => ({ q, kind: 'word2' as const })),
    ...q36.map((q, i) => ({ q, kind: kind[i]! })),
  ]
}
