import type { Agency } from '../agencies/agency.ts'
import { PortalLayout } from '../web/layout.tsx'
import type { PageContext } from '../web/layout.tsx'

export function HomePage(props: { ctx: PageContext; agencies: Agency[] }) {
  return (
    <PortalLayout ctx={props.ctx} title="首页">
      <h1>{props.ctx.regionName}政府信息公开</h1>
      <p>本平台依据《中华人民共和国政府信息公开条例》，集中公开本区域各行政机关的政府信息。</p>
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
    </PortalLayout>
  )
}
