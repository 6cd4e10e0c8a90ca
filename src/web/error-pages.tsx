import { ConsoleLayout, PortalLayout } from './layout.tsx'
import type { PageContext } from './layout.tsx'

const titles: Record<number, string> = {
  403: '无权访问',
  404: '页面不存在',
  409: '操作无法完成',
  422: '输入有误',
  429: '请求过于频繁',
  500: '系统错误',
  503: '系统繁忙',
}

export function ErrorPage(props: { ctx: PageContext; status: number; message: string; requestId?: string }) {
  const title = titles[props.status] ?? '请求无法处理'
  const Layout = props.ctx.path.startsWith('/console') ? ConsoleLayout : PortalLayout
  return (
    <Layout ctx={props.ctx} title={title}>
      <h1>{title}</h1>
      <p>{props.message}</p>
      {props.requestId && (
        <p>
          如需联系管理员，请提供请求编号：<code class="request-id">{props.requestId}</code>
        </p>
      )}
      <p>
        <a href="/">返回首页</a>
      </p>
    </Layout>
  )
}
