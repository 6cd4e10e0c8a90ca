import type { Agency } from '../agencies/agency.ts'
import { formatShanghai } from '../clock.ts'
import { PortalLayout } from '../web/layout.tsx'
import type { PageContext } from '../web/layout.tsx'
import type { PortalHome } from './sections.service.ts'

/** The entry points of a 政府信息公开 专栏, in the order the sites show them. */
export const entryPoints = [
  { href: '/guide', label: '政府信息公开指南', hint: '公开方式、申请渠道、收费与时限、监督救济' },
  { href: '/rules', label: '政府信息公开制度', hint: '各机关的政府信息公开工作制度' },
  { href: '/statutory', label: '法定主动公开内容', hint: '条例第二十条规定的十五类信息' },
  { href: '/catalogue', label: '主动公开目录', hint: '全部主动公开信息，按索引号编目' },
  { href: '/apply', label: '依申请公开', hint: '在线申请、信函申请、当面申请' },
  { href: '/reports', label: '政府信息公开年报', hint: '各机关的政府信息公开工作年报' },
] as const

export function HomePage(props: { ctx: PageContext } & PortalHome) {
  const { agencies, latest, total, totalCapped } = props
  const names = new Map(agencies.map((a) => [a.id, a.name]))
  return (
    <PortalLayout ctx={props.ctx} title="首页">
      <h1>{props.ctx.regionName}政府信息公开</h1>
      <form method="get" action="/search" role="search" class="home-search">
        <label for="home-q">搜索政府信息</label>
        <div class="search-row">
          <input id="home-q" name="q" type="search" aria-describedby="home-q-hint" />
          <button type="submit">搜索</button>
        </div>
        <p class="hint" id="home-q-hint">
          可输入标题、关键词、文号或索引号
        </p>
      </form>
      <nav aria-label="政府信息公开栏目" class="entries">
        <ul>
          {entryPoints.map((e) => (
            <li>
              <a href={e.href}>
                <strong>{e.label}</strong>
                <span>{e.hint}</span>
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div class="home-columns">
        <section aria-labelledby="latest-heading">
          <h2 id="latest-heading">最新公开信息</h2>
          {latest.length === 0 ? (
            <p>暂无主动公开的信息。</p>
          ) : (
            <>
              <ul class="item-list dated">
                {latest.map((i) => (
                  <li>
                    <a href={`/items/${i.id}`}>{i.title}</a>
                    <span class="hint">
                      {names.get(i.agency_id)} {i.published_at && formatShanghai(i.published_at).slice(0, 10)}
                    </span>
                  </li>
                ))}
              </ul>
              <p>
                <a href="/catalogue">
                  查看全部 {total} {totalCapped ? '余条' : '条'}主动公开信息
                </a>
              </p>
            </>
          )}
        </section>
        <AgencyList agencies={agencies} />
      </div>
    </PortalLayout>
  )
}

function AgencyList(props: { agencies: Agency[] }) {
  return (
    <section aria-labelledby="agencies-heading">
      <h2 id="agencies-heading">公开主体</h2>
      {props.agencies.length === 0 ? (
        <p>暂无已登记的机关。</p>
      ) : (
        <ul class="agency-list">
          {props.agencies.map((a) => (
            <li>
              <a href={`/agencies/${a.id}`}>{a.name}</a>
              {a.isSupervising && <span class="tag">政府信息公开工作主管部门</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
