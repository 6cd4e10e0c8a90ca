import { Csrf } from '../web/form.tsx'
import type { PageContext } from '../web/layout.tsx'
import type { TodoGroup } from './workbench.service.ts'

// The 工作台's to-do list (workbench.service.ts): one section per area, each task with its count, its first few
// objects and a link to the whole list.

export function TodoList(props: { ctx: PageContext; groups: TodoGroup[] }) {
  const none = props.groups.every((g) => g.todos.every((t) => t.count === 0))
  return (
    <section aria-labelledby="todo-h" class="todo">
      <h2 id="todo-h">待办事项</h2>
      {none && <p>目前没有待办事项。</p>}
      {props.groups.map((g) => {
        const pending = g.todos.filter((t) => t.count > 0)
        return (
          <section class="todo-group" aria-label={g.title}>
            <h3>{g.title}</h3>
            {pending.length === 0 ? (
              <p class="hint">{g.empty}</p>
            ) : (
              <ul class="todo-list">
                {pending.map((t) => (
                  <li class={t.urgent ? 'card urgent' : 'card'}>
                    <p>
                      <a href={t.href}>
                        {t.label}
                        <strong class="count">{t.count}</strong>
                      </a>
                    </p>
                    <ul>
                      {t.rows.map((r) => (
                        <li>
                          <a href={r.href}>{r.text}</a>
                          {r.note && <span class="hint"> {r.note}</span>}
                          {r.take !== undefined && (
                            <form method="post" action={`/console/applications/${r.take}/take`} class="inline">
                              <Csrf token={props.ctx.csrf} />
                              <input type="hidden" name="back" value="console" />
                              <button type="submit" class="secondary">
                                领办
                              </button>
                            </form>
                          )}
                        </li>
                      ))}
                      {t.count > t.rows.length && (
                        <li>
                          <a href={t.href}>全部 {t.count} 项</a>
                        </li>
                      )}
                    </ul>
                  </li>
                ))}
              </ul>
            )}
          </section>
        )
      })}
    </section>
  )
}
