import { Csrf, ErrorSummary, Field, Notice, Select } from '../web/form.tsx'
import type { FormState } from '../web/form.tsx'
import { ConsoleLayout } from '../web/layout.tsx'
import type { PageContext } from '../web/layout.tsx'

export function GuideSettingsPage(props: { ctx: PageContext; form: FormState; saved: boolean }) {
  return (
    <ConsoleLayout ctx={props.ctx} title="公开指南">
      <h1>政府信息公开指南</h1>
      {props.saved && <Notice>已保存。</Notice>}
      <ErrorSummary form={props.form} />
      <p class="hint">门户网站的“政府信息公开指南”页面由以下内容和本机关的栏目生成。</p>
      <form method="post" action="/console/guide" novalidate>
        <Csrf token={props.ctx.csrf} />
        <Field form={props.form} name="officeName" label="政府信息公开工作机构" required />
        <Field form={props.form} name="address" label="办公地址" required />
        <Field form={props.form} name="postcode" label="邮政编码" inputmode="numeric" />
        <Field
          form={props.form}
          name="hours"
          label="办公时间"
          hint="例如：工作日 9:00—12:00，14:00—17:00（法定节假日除外）"
          required
        />
        <Field form={props.form} name="phone" label="联系电话" required />
        <Field form={props.form} name="fax" label="传真" />
        <Field form={props.form} name="email" label="电子邮箱" />
        <Field
          form={props.form}
          name="reviewBody"
          label="行政复议机关"
          hint="不填写的，按《中华人民共和国行政复议法》第二十四条确定（县级人民政府工作部门为本级人民政府）"
        />
        <Field
          form={props.form}
          name="complaints"
          label="投诉举报渠道"
          hint="例如：县政府办公室政务公开科，电话 023-74000000"
        />
        <div class="field wide">
          <label for="f-notes">其他说明</label>
          <textarea id="f-notes" name="notes" rows={4}>
            {typeof props.form.values.notes === 'string' ? props.form.values.notes : ''}
          </textarea>
        </div>
        <button type="submit">保存指南</button>
      </form>
    </ConsoleLayout>
  )
}

export function ReviewLevelsPage(props: { ctx: PageContext; form: FormState; saved: boolean }) {
  return (
    <ConsoleLayout ctx={props.ctx} title="审核级别">
      <h1>审核级别（先审后发）</h1>
      {props.saved && <Notice>已保存。新的审核级别对之后提交的审核生效。</Notice>}
      <ErrorSummary form={props.form} />
      <form method="post" action="/console/review-levels" novalidate>
        <Csrf token={props.ctx.csrf} />
        <div class={props.form.errors.levels ? 'field has-error' : 'field'}>
          <label for="f-levels">各级名称（每行一级，按顺序）</label>
          {props.form.errors.levels && <p class="error">{props.form.errors.levels}</p>}
          <textarea id="f-levels" name="levels" rows={4}>
            {typeof props.form.values.levels === 'string' ? props.form.values.levels : ''}
          </textarea>
        </div>
        <Select
          form={props.form}
          name="confidentialityLevel"
          label="保密审查所在级别"
          options={[1, 2, 3, 4, 5].map((n) => ({ value: String(n), label: `第 ${n} 级` }))}
          required
        />
        <button type="submit">保存</button>
      </form>
    </ConsoleLayout>
  )
}

export function IndexFormatPage(props: { ctx: PageContext; form: FormState; saved: boolean }) {
  return (
    <ConsoleLayout ctx={props.ctx} title="索引号格式">
      <h1>索引号格式</h1>
      {props.saved && <Notice>已保存。只影响此后新生成的索引号，已发布信息的索引号不变。</Notice>}
      <p class="hint">
        索引号为“前段码/后段码”，后段码为年份（或年月）加 5
        位顺序号，按年编号（《政府信息公开目录系统实施指引（试行）》）。
      </p>
      <ErrorSummary form={props.form} />
      <form method="post" action="/console/index-format" novalidate>
        <Csrf token={props.ctx.csrf} />
        <Select
          form={props.form}
          name="prefix"
          label="前段码"
          options={[
            { value: 'uscc', label: '统一社会信用代码（18 位）' },
            { value: 'org', label: '组织机构代码（9 位）' },
            { value: 'custom', label: '自定义' },
          ]}
          required
        />
        <Field form={props.form} name="custom" label="自定义前段码" />
        <Select
          form={props.form}
          name="period"
          label="后段码"
          options={[
            { value: 'year', label: '年份-顺序号（如 2026-00001）' },
            { value: 'month', label: '年月-顺序号（如 202603-00001）' },
          ]}
          required
        />
        <button type="submit">保存</button>
      </form>
    </ConsoleLayout>
  )
}
