import { hash } from '@node-rs/argon2'
import { createAccount } from '../accounts/account.service.ts'
import { updateUser } from '../accounts/account.store.ts'
import type { Role } from '../accounts/roles.ts'
import { roleLabels } from '../accounts/roles.ts'
import { activities } from './demo-activities.ts'
import { publishSeedReport } from './demo-report.ts'
import { importActivities } from '../activities/activity.service.ts'
import { createAgency } from '../agencies/agency.service.ts'
import { findRegion, listAgencies } from '../agencies/agency.store.ts'
import { systemActor } from '../audit/audit.ts'
import { isoNow } from '../clock.ts'
import type { Deps } from '../deps.ts'
import { importItems } from '../disclosures/item-import.ts'
import { performSetup } from '../setup/setup.service.ts'
import { generateBusyYear, syntheticCreditCode } from './busy-year.ts'
import type { Intended } from './busy-year.ts'

// `gongkai demo`: the region 重庆市垫江县 with 垫江县司法局 as its 2020 report describes it — 296
// items brought in through the old-site import with their 2020 dates and first channels (county
// portal 92, four WeChat accounts 195, the credit website 6, procurement 3), its list of powers
// and article-20 activities, no applications and no appeals — and a busy agency whose year
// exercises every outcome. Accounts for every role share one demo password.

export const demoPassword = 'Gongkai-Demo#2026'
export const justiceBureau = '垫江县司法局'
export const busyAgency = '垫江县住房和城乡建设委员会'

const wechat = ['中国普法', '重庆司法', '垫江政法', '法治垫江'] as const
const portalTopics = [
  '开展法治宣传进社区活动',
  '召开全县司法行政工作会议',
  '开展人民调解员业务培训',
  '推进公共法律服务体系建设',
  '开展社区矫正对象集中教育',
  '举办“宪法宣传周”主题活动',
  '开展律师行业专项检查',
  '召开疫情防控法律服务专题会',
]
const wechatTopics = [
  '以案说法',
  '民法典每日一读',
  '法律援助典型案例',
  '普法小课堂',
  '疫情防控法律知识问答',
  '人民调解故事',
  '公证服务指南',
  '法治垫江建设进行时',
]

/** The 296 items of 2020: [column, channel or undefined for the portal, title, date]. */
function items2020(): { column: string; channel?: string; title: string; publishedAt: string; body: string }[] {
  const out: { column: string; channel?: string; title: string; publishedAt: string; body: string }[] = []
  const day = (n: number, of: number) => {
    const d = new Date(Date.UTC(2020, 0, 2) + Math.floor((n * 360) / of) * 86_400_000)
    return `${d.toISOString().slice(0, 10)} 09:30`
  }
  for (let n = 0; n < 92; n++) {
    const column = n < 62 ? '部门动态' : n < 80 ? '通知公告' : '政策文件'
    const title = `垫江县司法局${portalTopics[n % portalTopics.length]}（${n + 1}）`
    out.push({
      column,
      title,
      publishedAt: day(n, 92),
      body: `${title}。本局按照年度工作安排组织实施，相关情况通报如下。`,
    })
  }
  for (let n = 0; n < 195; n++) {
    const title = `${wechatTopics[n % wechatTopics.length]}（第${Math.floor(n / wechatTopics.length) + 1}期）`
    out.push({
      column: '部门动态',
      channel: wechat[n % wechat.length]!,
      title,
      publishedAt: day(n, 195),
      body: `${title}：通过微信公众号向群众宣传法律知识。`,
    })
  }
  const permits = [
    '律师事务所设立许可',
    '律师事务所变更许可',
    '基层法律服务工作者执业核准',
    '律师事务所分所设立许可',
    '公证员执业许可初审',
    '司法鉴定机构变更登记初审',
  ]
  for (let n = 0; n < 6; n++)
    out.push({
      column: '行政许可和对外管理服务',
      channel: '信用中国（重庆垫江）',
      title: `行政许可办理结果公示：${permits[n]}`,
      publishedAt: day(n * 50 + 20, 300),
      body: `${permits[n]}，准予许可。`,
    })
  const buys = ['办公设备采购项目', '社区矫正信息化设备采购项目', '法律援助服务采购项目']
  for (let n = 0; n < 3; n++)
    out.push({
      column: '政府集中采购',
      channel: '重庆市政府采购网',
      title: `垫江县司法局${buys[n]}成交公告`,
      publishedAt: day(n * 90 + 100, 400),
      body: `${buys[n]}已完成采购，成交结果公告如下。`,
    })
  return out
}

const staffRoles: { role: Role; level?: number }[] = [
  { role: 'drafter' },
  { role: 'reviewer', level: 1 },
  { role: 'reviewer', level: 2 },
  { role: 'reviewer', level: 3 },
  { role: 'publisher' },
  { role: 'handler' },
  { role: 'office_head' },
]

export type DemoAccount = { username: string; role: string; agency: string }

/** Made-up staff names for the demo accounts, in the order the accounts are made. */
const demoNames = [
  '王建国',
  '李秀英',
  '张伟',
  '刘洋',
  '陈静',
  '杨帆',
  '赵敏',
  '黄磊',
  '周婷',
  '吴昊',
  '徐丽',
  '孙强',
  '胡蓉',
  '朱军',
  '高洁',
  '林峰',
  '何雪',
  '郭亮',
  '马兰',
  '罗平',
  '梁晨',
  '宋佳',
]
export type DemoResult = { accounts: DemoAccount[]; busyYear: number; busyIntended: Intended[] }

async function account(
  deps: Deps,
  agencyId: number,
  username: string,
  displayName: string,
  role: Role,
  level?: number,
): Promise<void> {
  const { id } = await createAccount(
    deps,
    systemActor('演示数据生成'),
    { agencyId, username, displayName, roles: [{ role, reviewLevel: role === 'reviewer' ? (level ?? 1) : null }] },
    'operator',
  )
  await updateUser(deps.db, id, {
    password_hash: await hash(demoPassword),
    password_temporary: 0,
    temporary_expires_at: null,
    password_set_at: isoNow(deps.clock),
  })
}

/** Builds the demo in an empty database. `busyCount` applications make the busy agency's year. */
export async function createDemo(deps: Deps, opts: { busyCount?: number } = {}): Promise<DemoResult> {
  if (await findRegion(deps.db))
    throw new Error('数据库中已有数据；演示数据只能在空数据库中生成（SQLite 可加 --force 重建）')
  const actor = systemActor('演示数据生成')
  await performSetup(
    deps,
    {
      regionName: '重庆市垫江县',
      officeName: '垫江县人民政府办公室',
      officeCreditCode: '11500231MB15204609',
      officeLevel: '县级',
      adminUsername: 'demo.sysadmin',
      adminName: '系统管理员（演示）',
    },
    '127.0.0.1',
  )
  const office = (await listAgencies(deps.db))[0]!
  const justice = await createAgency(deps, actor, {
    name: justiceBureau,
    creditCode: '11500231MB1530120U',
    level: '县级',
    kind: '政府部门',
    parentId: office.id,
  })
  const busy = await createAgency(deps, actor, {
    name: busyAgency,
    creditCode: syntheticCreditCode(231, '11500231MB'),
    level: '县级',
    kind: '政府部门',
    parentId: office.id,
  })
  const accounts: DemoAccount[] = []
  const add = async (agencyId: number, agencyName: string, prefix: string, role: Role, level?: number) => {
    const username = `${prefix}.${role.replace('_', '')}${level ?? ''}`
    // Staff are named as people are (issue #12: no role code on any page), one name per account.
    await account(deps, agencyId, username, demoNames[accounts.length % demoNames.length]!, role, level)
    accounts.push({
      username,
      role: level ? `${roleLabels[role]}（${level}级）` : roleLabels[role],
      agency: agencyName,
    })
  }
  for (const r of staffRoles) await add(justice, justiceBureau, 'sfj', r.role, r.level)
  for (const r of staffRoles) await add(busy, busyAgency, 'zjw', r.role, r.level)
  await add(office.id, office.name, 'zfb', 'supervisor')
  await add(office.id, office.name, 'zfb', 'office_head')
  for (const role of ['secadmin', 'auditadmin'] as const) await add(office.id, office.name, 'demo', role)
  // The system administrator made by setup gets the demo password too.
  const sysadmin = await deps.db
    .selectFrom('users')
    .select('id')
    .where('username', '=', 'demo.sysadmin')
    .executeTakeFirstOrThrow()
  await updateUser(deps.db, sysadmin.id, {
    password_hash: await hash(demoPassword),
    password_temporary: 0,
    temporary_expires_at: null,
    password_set_at: isoNow(deps.clock),
  })
  accounts.push({ username: 'demo.sysadmin', role: roleLabels.sysadmin, agency: office.name })

  // The bureau's channels, then its 2020 items through the old-site import (original dates kept).
  const at = isoNow(deps.clock)
  for (const name of wechat)
    await deps.db.insertInto('channels').values({ agency_id: justice, name, kind: 'wechat', created_at: at }).execute()
  await deps.db
    .insertInto('channels')
    .values({ agency_id: justice, name: '信用中国（重庆垫江）', kind: 'credit', created_at: at })
    .execute()
  await deps.db
    .insertInto('channels')
    .values({ agency_id: justice, name: '重庆市政府采购网', kind: 'other', created_at: at })
    .execute()
  await importItems(
    deps,
    actor,
    justice,
    items2020().map((value, i) => ({ line: i + 2, value })),
  )
  const drafter = await deps.db
    .selectFrom('users')
    .select('id')
    .where('username', '=', 'sfj.drafter')
    .executeTakeFirstOrThrow()
  const bureauStaff = { ...actor, id: drafter.id, agencyId: justice }
  // Its 2020 report, published as the bureau published it: the portal's 年报 column shows it.
  const publisher = await deps.db
    .selectFrom('users')
    .select('id')
    .where('username', '=', 'sfj.publisher')
    .executeTakeFirstOrThrow()
  await publishSeedReport(deps, { ...actor, id: publisher.id, agencyId: justice }, justiceBureau)
  for (const [kind, rows] of Object.entries(activities)) {
    if (rows.length)
      await importActivities(
        deps,
        bureauStaff,
        kind as keyof typeof activities,
        rows.map((cells, i) => ({ line: i + 2, cells })),
      )
  }

  // The busy agency's year, through the console's use cases, with its own tally kept.
  const handlerRow = await deps.db
    .selectFrom('users')
    .select('id')
    .where('username', '=', 'zjw.handler')
    .executeTakeFirstOrThrow()
  const busyYear = Number(new Date(deps.clock.now().getTime() + 8 * 3600_000).toISOString().slice(0, 4)) - 1
  const busyIntended = await generateBusyYear(
    deps,
    { ...systemActor('承办人（演示）'), id: handlerRow.id, agencyId: busy, roles: ['handler'] },
    busyYear,
    opts.busyCount ?? 600,
  )
  return { accounts, busyYear, busyIntended }
}
