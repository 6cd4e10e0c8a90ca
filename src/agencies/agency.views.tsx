import { Csrf, ErrorSummary, Field, Select } from '../web/form.tsx'
import type { FormState } from '../web/form.tsx'
import { ConsoleLayout } from '../web/layout.tsx'
import type { PageContext } from '../web/layout.tsx'
import { agencyKinds, agencyLevels, unitKinds } from './agency.ts'
import type { Agency, Unit } from './agency.ts'

export function AgenciesPage(props: { ctx: PageContext; agencies: Agency[]; form: FormState }) {
  return (
    <ConsoleLayout ctx={props.ctx} title="机关与单位">
      <h1>机关与单位</h1>
      <table>
        <caption>本区域已登记的机关</caption>
        <thead>
          <tr>
            <th scope="col">机关全称</th>
            <th scope="col">统一社会信用代码</th>
            <th scope="col">层级</th>
            <th scope="col">类别</th>
          </tr>
        </thead>
        <tbody>
          {props.agencies.map((a) => (
            <tr>
              <td>
                <a href={`/console/agencies/${a.id}`}>{a.name}</a>
                {a.isSupervising && '（主管部门）'}
              </td>
              <td>{a.creditCode}</td>
              <td>{a.level}</td>
              <td>{a.kind}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2 id="new-agency">登记机关</h2>
      <ErrorSummary form={props.form} />
      <form method="post" action="/console/agencies" novalidate aria-labelledby="new-agency">
        <Csrf token={props.ctx.csrf} />
        <Field form={props.form} name="name" label="机关全称" required />
        <Field form={props.form} name="creditCode" label="统一社会信用代码" required />
        <Select form={props.form} name="level" label="行政层级" options={agencyLevels} required />
        <Select form={props.form} name="kind" label="机关类别" options={agencyKinds} required />
        <Select
          form={props.form}
          name="parentId"
          label="上级机关"
          placeholder="无"
          options={props.agencies.map((a) => ({ value: String(a.id), label: a.name }))}
        />
        <button type="submit">登记</button>
      </form>
    </ConsoleLayout>
  )
}

export function AgencyPage(props: { ctx: PageContext; agency: Agency; units: Unit[]; form: FormState }) {
  return (
    <ConsoleLayout ctx={props.ctx} title={props.agency.name}>
      <h1>{props.agency.name}</h1>
      <p>
        统一社会信用代码：{props.agency.creditCode}；{props.agency.level}
        {props.agency.kind}
      </p>
      <h2>内设科室与下属单位</h2>
      {props.units.length === 0 ? (
        <p>尚未登记单位。</p>
      ) : (
        <ul>
          {props.units.map((u) => (
            <li>
              {u.name}（{u.kind}）
            </li>
          ))}
        </ul>
      )}
      <h2 id="new-unit">登记单位</h2>
      <ErrorSummary form={props.form} />
      <form method="post" action={`/console/agencies/${props.agency.id}/units`} novalidate aria-labelledby="new-unit">
        <Csrf token={props.ctx.csrf} />
        <Field form={props.form} name="name" label="单位名称" required />
        <Select form={props.form} name="kind" label="单位类别" options={unitKinds} required />
        <button type="submit">登记</button>
      </form>
    </ConsoleLayout>
  )
}
