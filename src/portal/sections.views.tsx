import type { Agency } from '../agencies/agency.ts'
import { formatShanghai } from '../clock.ts'
import { FeeSummary, Remedies, TimeLimits } from '../disclosures/guide.views.tsx'
import type { ItemRow } from '../disclosures/disclosure.store.ts'
import { PortalLayout } from '../web/layout.tsx'
import type { PageContext } from '../web/layout.tsx'
import type { RulesSection, StatutorySection } from './sections.service.ts'

// The region's pages behind the home page's entry points: each spans every agency and leads to the
// agency's own page (指南, 制度 column, 法定主动公开内容 sub-columns, application form).

const date = (i: ItemRow) => (i.published_at ? formatShanghai(i.published_at).slice(0, 10) : '')

function Items(props: { items: ItemRow[]; names?: Map<number, string> }) {
  if (props.items.length === 0) return <p class="hint">暂无信息</p>
  return (
    <ul class="item-list dated">
      {props.items.map((i) => (
        <li>
          <a href={`/items/${i.id}`}>{i.title}</a>
          <span class="hint">
            {props.names?.get(i.agency_id)} {date(i)}
          </span>
        </li>
      ))}
    </ul>
  )
}

function Crumb(props: { here: string }) {
  return (
    <nav aria-label="位置" class="crumbs">
      <a href="/">首页</a> › {props.here}
    </nav>
  )
}

export function RegionGuidePage(props: { ctx: PageContext; agencies: Agency[] }) {
  return (
    <PortalLayout ctx={props.ctx} title="政府信息公开指南">
      <Crumb here="政府信息公开指南" />
      <h1>政府信息公开指南</h1>
      <p>
        各行政机关依照《中华人民共和国政府信息公开条例》第十二条编制政府信息公开指南，说明主动公开的栏目、申请渠道、收费与时限、监督和救济方式以及工作机构的地址、时间和电话。请查阅向其申请的机关的指南：
      </p>
      <ul class="agency-list">
        {props.agencies.map((a) => (
          <li>
            <a href={`/agencies/${a.id}/guide`}>{a.name}政府信息公开指南</a>
          </li>
        ))}
      </ul>
    </PortalLayout>
  )
}

export function RegionRulesPage(props: { ctx: PageContext; sections: RulesSection[] }) {
  return (
    <PortalLayout ctx={props.ctx} title="政府信息公开制度">
      <Crumb here="政府信息公开制度" />
      <h1>政府信息公开制度</h1>
      <p>各行政机关的政府信息公开工作制度，包括主动公开、依申请公开办理、保密审查、发布协调等规定。</p>
      <div class="sections">
        {props.sections.map((s) => (
          <section aria-labelledby={`rules-${s.columnId}`} class="section">
            <h2 id={`rules-${s.columnId}`}>
              <a href={`/columns/${s.columnId}`}>{s.agency.name}</a>
            </h2>
            <Items items={s.items} />
          </section>
        ))}
      </div>
    </PortalLayout>
  )
}

export function RegionStatutoryPage(props: { ctx: PageContext; agencies: Agency[]; sections: StatutorySection[] }) {
  const names = new Map(props.agencies.map((a) => [a.id, a.name]))
  return (
    <PortalLayout ctx={props.ctx} title="法定主动公开内容">
      <Crumb here="法定主动公开内容" />
      <h1>法定主动公开内容</h1>
      <p>《中华人民共和国政府信息公开条例》第二十条规定行政机关应当主动公开的十五类政府信息，各机关最新发布如下。</p>
      <div class="sections">
        {props.sections.map((s) => (
          <section aria-labelledby={`art20-${s.item}`} class="section">
            <h2 id={`art20-${s.item}`}>
              （{s.item}）{s.name}
            </h2>
            <Items items={s.items} names={names} />
          </section>
        ))}
      </div>
    </PortalLayout>
  )
}

export function RegionApplyPage(props: { ctx: PageContext; agencies: Agency[] }) {
  const supervising = props.agencies.find((a) => a.isSupervising)
  return (
    <PortalLayout ctx={props.ctx} title="依申请公开">
      <Crumb here="依申请公开" />
      <h1>依申请公开</h1>
      <p>
        除行政机关主动公开的政府信息外，公民、法人或者其他组织可以向地方各级人民政府、对外以自己名义履行行政管理职能的县级以上人民政府部门申请获取相关政府信息（条例第二十七条）。
      </p>
      <h2>在线申请</h2>
      <p>
        请选择向其申请的机关，填写申请表。提交后凭申请编号和查询码<a href="/track">查询办理进度</a>。
      </p>
      <table class="stack">
        <caption>受理机关</caption>
        <thead>
          <tr>
            <th scope="col">机关</th>
            <th scope="col">在线申请</th>
            <th scope="col">信函、当面申请的地址和时间</th>
          </tr>
        </thead>
        <tbody>
          {props.agencies.map((a) => (
            <tr>
              <th scope="row" data-label="机关">
                {a.name}
              </th>
              <td data-label="在线申请">
                <a href={`/agencies/${a.id}/apply`}>填写{a.name}申请表</a>
              </td>
              <td data-label="地址和时间">
                <a href={`/agencies/${a.id}/guide`}>见{a.name}政府信息公开指南</a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>办理时限</h2>
      <TimeLimits />
      <h2>收费</h2>
      <FeeSummary />
      <h2>监督和救济</h2>
      <Remedies
        reviewBody="作出答复的行政机关的行政复议机关（见该机关的政府信息公开指南）"
        supervising={supervising?.name}
      />
    </PortalLayout>
  )
}
