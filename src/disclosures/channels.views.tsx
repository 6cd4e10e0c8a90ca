import { importColumnNames } from './item-import.ts'
import { Csrf, ErrorSummary, Field, Notice, Select } from '../web/form.tsx'
import type { FormState } from '../web/form.tsx'
import { ConsoleLayout } from '../web/layout.tsx'
import type { PageContext } from '../web/layout.tsx'
import type { QuotaOverview } from './channels.service.ts'
import type { Counts } from './counts.ts'
import type { ChannelRow } from './disclosure.store.ts'
import type { ImportResult } from './item-import.ts'

export const channelKinds = {
  wechat: '微信公众号',
  credit: '信用网站',
  services: '政务服务平台',
  gazette: '政府公报',
  other: '其他',
} as const

const channelKindLabel = (kind: string) =>
  kind === 'portal' ? '门户网站' : (channelKinds[kind as keyof typeof channelKinds] ?? kind)

export function ChannelsPage(props: { ctx: PageContext; channels: ChannelRow[]; form: FormState }) {
  return (
    <ConsoleLayout ctx={props.ctx} title="发布渠道">
      <h1>发布渠道</h1>
      <ul>
        {props.channels.map((c) => (
          <li>
            {c.name}（{channelKindLabel(c.kind)}）
          </li>
        ))}
      </ul>
      <h2 id="add-h">添加渠道</h2>
      <ErrorSummary form={props.form} />
      <form method="post" action="/console/channels" aria-labelledby="add-h" novalidate>
        <Csrf token={props.ctx.csrf} />
        <Field form={props.form} name="name" label="名称" hint="例如：“法治垫江”微信公众号" required />
        <Select
          form={props.form}
          name="kind"
          label="类型"
          options={Object.entries(channelKinds).map(([value, label]) => ({ value, label }))}
          required
        />
        <button type="submit">添加</button>
      </form>
    </ConsoleLayout>
  )
}

/** What an import did, in one paragraph: how many were published, and which lines the scan held back and why. */
export function importSummary(result: ImportResult): string {
  const head = `已导入 ${result.imported} 条，其中 ${result.published} 条已按原发布日期公开。`
  if (result.findings.length === 0) return head
  const line = (f: ImportResult['findings'][number]) => `第 ${f.line} 行“${f.title}”（${f.findings.join('、')}）`
  const blocked = result.findings.filter((f) => !f.quarantined)
  const quarantined = result.findings.filter((f) => f.quarantined)
  return [
    head,
    blocked.length
      ? `${blocked.length} 条因保密审查发现未公开，已列入“发布被拦截的信息”，须经保密审查人员解除或退回修改后再发布：${blocked.map(line).join('；')}。`
      : '',
    quarantined.length
      ? `${quarantined.length} 条含密级标志，已隔离并报公开办负责人处理，不能公开：${quarantined.map(line).join('；')}。`
      : '',
  ].join('')
}

export function ImportPage(props: { ctx: PageContext; error?: string | undefined; result?: ImportResult | undefined }) {
  const { error, result } = props
  return (
    <ConsoleLayout ctx={props.ctx} title="导入已公开信息">
      <h1>从旧网站导入已公开的信息</h1>
      <p class="hint">
        CSV 文件（首行为列名：栏目、名称、发布日期、正文；可选：{Object.keys(importColumnNames).slice(4).join('、')}
        ）或 JSON 数组（可含 base64
        附件）。保留原发布日期和索引号，标记为“导入”，不再逐级审核，但每条都经保密审查：无发现的按原日期公开；有发现的暂不公开，列入“发布被拦截的信息”待处理；含密级标志的隔离，报公开办负责人。任一行有误则全部不导入。
      </p>
      {error && (
        <div class="error-summary" role="alert">
          <h2>导入未执行</h2>
          <pre class="problems">{error}</pre>
        </div>
      )}
      {result && <Notice>{importSummary(result)}</Notice>}
      <form method="post" action="/console/items/import" enctype="multipart/form-data">
        <Csrf token={props.ctx.csrf} />
        <div class="field">
          <label for="f-file">文件（CSV 或 JSON，10 MB 以内）</label>
          <input id="f-file" name="file" type="file" accept=".csv,.json" />
        </div>
        <button type="submit">导入</button>
      </form>
    </ConsoleLayout>
  )
}

function CountTable(props: { caption: string; head: string; rows: { name: string; n: number }[] }) {
  return (
    <table>
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">{props.head}</th>
          <th scope="col">条数</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((r) => (
          <tr>
            <td>{r.name}</td>
            <td>{r.n}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

export function CountsPage(props: { ctx: PageContext; from: string; to: string; counts: Counts }) {
  const c = props.counts
  return (
    <ConsoleLayout ctx={props.ctx} title="发布统计">
      <h1>主动公开发布统计</h1>
      <form method="get" action="/console/counts" class="filters">
        <div class="field">
          <label for="f-from">起始日期</label>
          <input id="f-from" name="from" type="date" value={props.from} />
        </div>
        <div class="field">
          <label for="f-to">截止日期</label>
          <input id="f-to" name="to" type="date" value={props.to} />
        </div>
        <button type="submit">统计</button>
      </form>
      <p>
        {props.from} 至 {props.to}，主动公开信息共 <strong>{c.total}</strong> 条（每条按主要发布渠道计一次）。
      </p>
      <CountTable
        caption="按主要发布渠道"
        head="渠道"
        rows={c.byPrimaryChannel.map((x) => ({ name: x.name, n: x.items }))}
      />
      <CountTable
        caption="各渠道发布次数（一条信息可在多个渠道发布）"
        head="渠道"
        rows={c.publicationsByChannel.map((x) => ({ name: x.name, n: x.publications }))}
      />
      <CountTable caption="按栏目" head="栏目" rows={c.byColumn.map((x) => ({ name: x.name, n: x.items }))} />
      <CountTable caption="按报送单位" head="单位" rows={c.byUnit.map((x) => ({ name: x.name, n: x.items }))} />
      <CountTable caption="按月" head="月份" rows={c.byMonth.map((x) => ({ name: x.month, n: x.items }))} />
    </ConsoleLayout>
  )
}

export function QuotaPage(props: {
  ctx: PageContext
  overview: QuotaOverview
  canSet: boolean
  form?: FormState | undefined
}) {
  const { year, perMonth, units, months, counted } = props.overview
  return (
    <ConsoleLayout ctx={props.ctx} title="信息报送">
      <h1>{year}年信息报送情况</h1>
      <p>
        要求：各单位每月至少报送 <strong>{perMonth}</strong> 条信息（按发布月份计）。
      </p>
      {units.length === 0 ? (
        <Notice kind="warn">本机关尚未登记内设科室或下属单位。</Notice>
      ) : (
        <table>
          <caption>各单位每月发布条数（✓ 达标，✗ 未达标）</caption>
          <thead>
            <tr>
              <th scope="col">单位</th>
              {months.map((m) => (
                <th scope="col">{Number(m.slice(5))}月</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {units.map((u) => (
              <tr>
                <th scope="row">{u.name}</th>
                {months.map((m) => {
                  const n = counted.get(`${u.name}|${m}`) ?? 0
                  return (
                    <td>
                      {n} {n >= perMonth ? '✓' : '✗'}
                    </td>
                  )
                })}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.canSet && (
        <form method="post" action="/console/quotas" novalidate>
          <Csrf token={props.ctx.csrf} />
          <ErrorSummary form={props.form ?? { values: {}, errors: {} }} />
          <Field
            form={props.form ?? { values: { perMonth: String(perMonth) }, errors: {} }}
            name="perMonth"
            label="每月最少条数"
            inputmode="numeric"
            required
          />
          <button type="submit">保存要求</button>
        </form>
      )}
    </ConsoleLayout>
  )
}
