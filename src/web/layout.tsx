import type { ComponentChildren } from 'preact'
import type { StaffUser } from '../accounts/account.ts'
import { roleLabels } from '../accounts/roles.ts'
import type { Role } from '../accounts/roles.ts'
import { icpLink, policeLink } from '../portal/site-settings.ts'
import type { SiteFooter } from '../portal/site-settings.ts'

export type PageContext = Readonly<{
  csrf: string
  user?: StaffUser | undefined
  regionName?: string | undefined
  path: string
  /** The public site's footer settings (portal/site-settings.ts); absent on console pages. */
  footer?: SiteFooter | undefined
}>

function Document(props: {
  title: string
  scripts?: readonly string[] | undefined
  refresh?: number | undefined
  children: ComponentChildren
}) {
  return (
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title}</title>
        <link rel="stylesheet" href="/assets/site.css" />
        {props.scripts?.map((src) => (
          <script src={src} defer />
        ))}
        {props.refresh && <meta http-equiv="refresh" content={String(props.refresh)} />}
      </head>
      <body>
        <a class="skip-link" href="#main">
          跳到主要内容
        </a>
        {props.children}
      </body>
    </html>
  )
}

export function PortalLayout(props: {
  ctx: PageContext
  title: string
  scripts?: readonly string[]
  children: ComponentChildren
}) {
  const site = props.ctx.regionName ? `${props.ctx.regionName}政府信息公开` : '政府信息公开平台'
  return (
    <Document title={`${props.title} - ${site}`} scripts={props.scripts}>
      <header class="site-header" role="banner">
        <div class="wrap">
          <p class="site-name">
            <a href="/">{site}</a>
          </p>
          <nav aria-label="公众导航">
            <ul class="nav">
              <li>
                <a href="/">首页</a>
              </li>
              <li>
                <a href="/guide">公开指南</a>
              </li>
              <li>
                <a href="/catalogue">公开目录</a>
              </li>
              <li>
                <a href="/apply">依申请公开</a>
              </li>
              <li>
                <a href="/reports">年度报告</a>
              </li>
              <li>
                <a href="/search">搜索</a>
              </li>
              <li>
                <a href="/track">申请查询</a>
              </li>
              <li>
                <a href="/console">工作人员入口</a>
              </li>
            </ul>
          </nav>
        </div>
      </header>
      <main id="main" class="wrap" tabIndex={-1}>
        {props.children}
      </main>
      <PortalFooter footer={props.ctx.footer} />
    </Document>
  )
}

/**
 * The footer of every public page: 主办单位, contact, 网站标识码, ICP 备案号 and 公安机关备案号 with
 * their links, as 国办发〔2017〕47号《政府网站发展指引》 requires; only what the 系统管理员 has set.
 */
export function PortalFooter(props: { footer: SiteFooter | undefined }) {
  const f = props.footer
  const police = f?.police ? policeLink(f.police) : undefined
  const contact = [
    f?.address && `联系地址：${f.address}`,
    f?.phone && `联系电话：${f.phone}`,
    f?.email && `电子邮箱：${f.email}`,
  ].filter(Boolean)
  return (
    <footer class="site-footer" role="contentinfo">
      <div class="wrap">
        {f && (
          <p>
            <span class="sep">主办单位：{f.host}</span>
            {f.organiser && <span class="sep">承办单位：{f.organiser}</span>}
          </p>
        )}
        {contact.length > 0 && (
          <p>
            {contact.map((c) => (
              <span class="sep">{c}</span>
            ))}
          </p>
        )}
        {f && (f.siteCode || f.icp || f.police) && (
          <p>
            {f.siteCode && <span class="sep">网站标识码：{f.siteCode}</span>}
            {f.icp && (
              <span class="sep">
                <a href={icpLink} rel="noopener">
                  {f.icp}
                </a>
              </span>
            )}
            {f.police && police && (
              <span class="sep">
                <a href={police} rel="noopener">
                  {f.police}
                </a>
              </span>
            )}
          </p>
        )}
        <p>依据《中华人民共和国政府信息公开条例》公开政府信息</p>
      </div>
    </footer>
  )
}

type NavItem = { href: string; label: string; roles: readonly Role[] | 'all' }
type NavGroup = { label: string; items: NavItem[] }
/** The console's pages by area (issue #12): each role sees the groups it has pages in. */
const consoleNav: NavGroup[] = [
  {
    label: '主动公开',
    items: [
      { href: '/console/items', label: '信息发布', roles: ['drafter', 'reviewer', 'publisher', 'office_head'] },
      {
        href: '/console/columns/health',
        label: '栏目健康',
        roles: ['drafter', 'reviewer', 'publisher', 'office_head'],
      },
      { href: '/console/timeliness', label: '公开时限', roles: ['drafter', 'reviewer', 'publisher', 'office_head'] },
      { href: '/console/counts', label: '发布统计', roles: ['drafter', 'reviewer', 'publisher', 'office_head'] },
      { href: '/console/quotas', label: '信息报送', roles: ['drafter', 'reviewer', 'publisher', 'office_head'] },
      { href: '/console/columns', label: '栏目设置', roles: ['office_head'] },
      { href: '/console/channels', label: '发布渠道', roles: ['office_head'] },
      { href: '/console/items/import', label: '导入旧信息', roles: ['office_head'] },
      { href: '/console/guide', label: '公开指南', roles: ['office_head'] },
      { href: '/console/review-levels', label: '审核级别', roles: ['office_head'] },
      { href: '/console/index-format', label: '索引号格式', roles: ['office_head'] },
    ],
  },
  {
    label: '依申请公开',
    items: [
      { href: '/console/applications', label: '申请办理', roles: ['handler', 'office_head'] },
      { href: '/console/appeals', label: '复议与诉讼', roles: ['handler', 'office_head'] },
      { href: '/console/request-settings', label: '办理设置', roles: ['office_head'] },
    ],
  },
  {
    label: '年度报告',
    items: [
      { href: '/console/reports', label: '年度报告', roles: ['drafter', 'reviewer', 'publisher', 'office_head'] },
      { href: '/console/activities', label: '第二十条活动记录', roles: ['drafter', 'office_head'] },
      { href: '/console/report-settings', label: '报告统计口径', roles: ['office_head'] },
    ],
  },
  {
    label: '统计与监督',
    items: [
      {
        href: '/console/dashboard',
        label: '数据看板',
        roles: ['drafter', 'reviewer', 'publisher', 'handler', 'office_head'],
      },
      { href: '/console/region', label: '区域概况', roles: ['supervisor'] },
      { href: '/console/region/dashboard', label: '区域数据看板', roles: ['supervisor'] },
      { href: '/console/region/reports', label: '区域年报汇总', roles: ['supervisor'] },
      { href: '/console/region/columns', label: '区域栏目健康', roles: ['supervisor'] },
      { href: '/console/region/applications', label: '区域依申请公开', roles: ['supervisor'] },
    ],
  },
  {
    label: '系统管理',
    items: [
      { href: '/console/agencies', label: '机关与单位', roles: ['sysadmin'] },
      { href: '/console/accounts', label: '账号管理', roles: ['sysadmin'] },
      { href: '/console/calendar', label: '节假日安排', roles: ['sysadmin'] },
      { href: '/console/site', label: '网站信息', roles: ['sysadmin'] },
      { href: '/console/security', label: '安全策略', roles: ['secadmin'] },
      { href: '/console/security/accounts', label: '角色与解锁', roles: ['secadmin'] },
      { href: '/console/audit', label: '审计日志', roles: ['auditadmin'] },
    ],
  },
  {
    label: '我的账号',
    items: [
      { href: '/console/password', label: '修改密码', roles: 'all' },
      { href: '/console/totp', label: '动态验证码', roles: 'all' },
    ],
  },
]

/** The console's navigation: 工作台 first, then one row per area with its pages. */
function NavGroups(props: { groups: NavGroup[]; path: string }) {
  return (
    <ul class="nav-groups">
      <li class="nav-group">
        <a href="/console" aria-current={props.path === '/console' ? 'page' : undefined}>
          工作台
        </a>
      </li>
      {props.groups.map((g) => (
        <li class="nav-group">
          <span class="nav-group-label">{g.label}</span>
          <ul class="nav">
            {g.items.map((i) => (
              <li>
                <a href={i.href} aria-current={props.path === i.href ? 'page' : undefined}>
                  {i.label}
                </a>
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ul>
  )
}

export function ConsoleLayout(props: {
  ctx: PageContext
  title: string
  refresh?: number | undefined
  children: ComponentChildren
}) {
  const user = props.ctx.user
  const mine = (i: NavItem) =>
    i.roles === 'all' || (user !== undefined && user.roles.some((r) => (i.roles as readonly Role[]).includes(r)))
  const groups = consoleNav
    .map((g) => ({ label: g.label, items: g.items.filter(mine) }))
    .filter((g) => g.items.length > 0)
  const current = groups.flatMap((g) => g.items).find((i) => i.href === props.ctx.path)
  return (
    // busy.js: long actions (publishing, uploads, exports) say that they are working; pages work without it.
    <Document title={`${props.title} - 政府信息公开工作平台`} refresh={props.refresh} scripts={['/assets/busy.js']}>
      <header class="site-header console" role="banner">
        <div class="wrap">
          <p class="site-name">
            <a href="/console">政府信息公开工作平台</a>
          </p>
          {user && (
            <div class="who">
              <span>
                {user.displayName}（{user.roles.map((r) => roleLabels[r]).join('、') || '未分配角色'}）
              </span>
              <form method="post" action="/logout" class="inline">
                <input type="hidden" name="_csrf" value={props.ctx.csrf} />
                <button type="submit" class="link-button">
                  退出登录
                </button>
              </form>
            </div>
          )}
        </div>
        {user && !user.mustChangePassword && !user.mustEnrolTotp && (
          <>
            <nav aria-label="工作台导航" class="wrap console-nav wide-only">
              <NavGroups groups={groups} path={props.ctx.path} />
            </nav>
            <details class="wrap console-nav narrow-only">
              <summary>菜单{current ? `（当前：${current.label}）` : ''}</summary>
              <nav aria-label="工作台导航（窄屏）">
                <NavGroups groups={groups} path={props.ctx.path} />
              </nav>
            </details>
          </>
        )}
      </header>
      <main id="main" class="wrap" tabIndex={-1}>
        {props.children}
      </main>
      <footer class="site-footer" role="contentinfo">
        <div class="wrap">
          <p>Gongkai 政府信息公开工作平台</p>
        </div>
      </footer>
    </Document>
  )
}
