import { Csrf, ErrorSummary, Field, Notice } from '../web/form.tsx'
import type { FormState } from '../web/form.tsx'
import { ConsoleLayout } from '../web/layout.tsx'
import type { PageContext } from '../web/layout.tsx'

/** The 系统管理员's page of what every public page's footer shows (国办发〔2017〕47号). */
export function SiteSettingsPage(props: { ctx: PageContext; form: FormState; saved: boolean }) {
  const form = props.form
  return (
    <ConsoleLayout ctx={props.ctx} title="网站信息">
      <h1>网站信息（页面底部）</h1>
      {props.saved && <Notice>已保存。门户网站每个页面底部即时更新。</Notice>}
      <ErrorSummary form={form} />
      <p class="hint">
        依据《政府网站发展指引》（国办发〔2017〕47号），政府网站每个页面底部应列明主办单位、联系方式、网站标识码、ICP
        备案号和公安机关备案号。未填写的项目不在页面上显示。
      </p>
      <form method="post" action="/console/site" novalidate>
        <Csrf token={props.ctx.csrf} />
        <Field form={form} name="host" label="主办单位" hint="例如：垫江县人民政府办公室" required />
        <Field form={form} name="organiser" label="承办单位" />
        <Field form={form} name="address" label="联系地址" />
        <Field form={form} name="phone" label="联系电话" />
        <Field form={form} name="email" label="电子邮箱" type="email" />
        <Field form={form} name="siteCode" label="网站标识码" hint="10 位数字，由政府网站主管单位分配" />
        <Field form={form} name="icp" label="ICP 备案号" hint="例如：渝ICP备05003300号-1" />
        <Field form={form} name="police" label="公安机关备案号" hint="例如：渝公网安备 50023102000001号" />
        <button type="submit">保存</button>
      </form>
    </ConsoleLayout>
  )
}
