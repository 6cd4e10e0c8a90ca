import { Csrf, ErrorSummary, Field, Select } from '../web/form.tsx'
import type { FormState } from '../web/form.tsx'
import { ConsoleLayout } from '../web/layout.tsx'
import type { PageContext } from '../web/layout.tsx'
import type { ColumnClass } from './column-tree.ts'
import type { ColumnRow } from './disclosure.store.ts'

export const classLabels: Partial<Record<ColumnClass, string>> = {
  news: '动态类（2 周内更新）',
  notice: '通知公告类（6 个月内更新）',
  policy: '政策文件类（6 个月内更新）',
  other: '其他',
}

export function ColumnsPage(props: {
  ctx: PageContext
  columns: ColumnRow[]
  form: FormState
  /** The column whose new name was refused, with the name as typed and why. */
  renaming?: { id: number; form: FormState } | undefined
}) {
  return (
    <ConsoleLayout ctx={props.ctx} title="栏目设置">
      <h1>栏目设置</h1>
      <ErrorSummary form={props.form} />
      <table>
        <caption>本机关栏目</caption>
        <thead>
          <tr>
            <th scope="col">栏目</th>
            <th scope="col">上级</th>
            <th scope="col">改名</th>
          </tr>
        </thead>
        <tbody>
          {props.columns.map((c) => (
            <tr>
              <td>{c.name}</td>
              <td>{props.columns.find((p) => p.id === c.parent_id)?.name ?? '—'}</td>
              <td>
                <form method="post" action={`/console/columns/${c.id}`} class="inline">
                  <Csrf token={props.ctx.csrf} />
                  <RenameBox column={c} form={props.renaming?.id === c.id ? props.renaming.form : undefined} />
                  <button type="submit" class="secondary">
                    改名
                  </button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2 id="add-h">添加栏目</h2>
      <form method="post" action="/console/columns" aria-labelledby="add-h" novalidate>
        <Csrf token={props.ctx.csrf} />
        <Field form={props.form} name="name" label="栏目名称" required />
        <Select
          form={props.form}
          name="class"
          label="类别"
          options={Object.entries(classLabels).map(([value, label]) => ({ value, label: label! }))}
          required
        />
        <Select
          form={props.form}
          name="parentId"
          label="上级栏目"
          placeholder="无（一级栏目）"
          options={props.columns
            .filter((c) => c.parent_id === null)
            .map((c) => ({ value: String(c.id), label: c.name }))}
        />
        <button type="submit">添加</button>
      </form>
    </ConsoleLayout>
  )
}

/** A column's new-name box; refused, the name as typed and why beside it. */
function RenameBox(props: { column: ColumnRow; form: FormState | undefined }) {
  const { column: c } = props
  const error = props.form?.errors.name
  const typed = props.form?.values.name
  return (
    <span class={error ? 'field has-error' : 'field'}>
      <label for={`rename-${c.id}`} class="visually-hidden">
        {c.name}的新名称
      </label>
      {error && (
        <span class="error" id={`e-rename-${c.id}`}>
          {error}
        </span>
      )}
      <input
        id={`rename-${c.id}`}
        name="name"
        value={typeof typed === 'string' ? typed : c.name}
        aria-describedby={error ? `e-rename-${c.id}` : undefined}
      />
    </span>
  )
}
