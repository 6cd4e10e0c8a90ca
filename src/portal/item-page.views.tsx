import { formatShanghai } from '../clock.ts'
import { validityLabels } from '../disclosures/disclosure.ts'
import type { ItemRow } from '../disclosures/disclosure.store.ts'
import { Notice } from '../web/form.tsx'
import { PortalLayout } from '../web/layout.tsx'
import type { PageContext } from '../web/layout.tsx'
import type { PublicItem } from './portal.service.ts'

// An item's public page as 政府信息公开 sites show it: the catalogue block (索引号、主题分类、发布机构、
// 成文日期、文号、发布日期、有效性 in two columns, 《政府信息公开目录系统实施指引（试行）》), the body,
// the attachments with their type and size, and its 相关解读 (or the policy a 解读 interprets).

/** An attachment's type as people name it: its extension, or the kind its content type says. */
export function fileKind(fileName: string, contentType: string): string {
  const ext = /\.([a-z0-9]{1,5})$/i.exec(fileName)?.[1]
  if (ext) return ext.toUpperCase()
  const sub = contentType.split('/')[1]?.split(/[;+.-]/)[0]
  return sub ? sub.toUpperCase() : '文件'
}

/** A size in bytes as KB or MB with one decimal, as download links show it. */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

const day = (iso: string | null) => (iso ? formatShanghai(iso).slice(0, 10) : null)

function CatalogueBlock(props: { item: ItemRow; agencyName: string | undefined }) {
  const { item } = props
  const validity = validityLabels[item.validity as keyof typeof validityLabels] ?? item.validity
  // The seven fields every catalogue block shows, in the order of the sites' two-column block.
  const pairs: [string, string | null | undefined][] = [
    ['索引号', item.index_number],
    ['主题分类', item.topic],
    ['发布机构', props.agencyName],
    ['成文日期', item.written_on],
    ['文号', item.doc_number],
    ['发布日期', day(item.published_at)],
  ]
  const more: [string, string | null][] = [
    ['体裁', item.genre],
    ['主题词', item.keywords],
    ['实施日期', item.effective_on],
    ['废止日期', item.repealed_on],
    ['失效日期', item.lapsed_on],
  ]
  return (
    <section aria-label="信息目录" class="catalogue-block">
      <dl>
        {pairs.map(([k, v]) => (
          <div>
            <dt>{k}：</dt>
            <dd>{v || '无'}</dd>
          </div>
        ))}
        <div class="full">
          <dt>名称：</dt>
          <dd>{item.title}</dd>
        </div>
        <div>
          <dt>有效性：</dt>
          <dd>{validity}</dd>
        </div>
        {more
          .filter(([, v]) => v)
          .map(([k, v]) => (
            <div>
              <dt>{k}：</dt>
              <dd>{v}</dd>
            </div>
          ))}
      </dl>
    </section>
  )
}

function Related(props: { related: PublicItem['related'] }) {
  const { kind, items } = props.related
  if (items.length === 0) return null
  const heading = kind === 'interpretations' ? '相关解读' : '解读的文件'
  return (
    <section aria-labelledby="related-h" class="related">
      <h2 id="related-h">{heading}</h2>
      <ul>
        {items.map((i) => (
          <li>
            <a href={`/items/${i.id}`}>{i.title}</a>
            {i.doc_number && <span class="hint">（{i.doc_number}）</span>}
          </li>
        ))}
      </ul>
    </section>
  )
}

export function PublicItemPage(props: PublicItem & { ctx: PageContext }) {
  const { item, agency, column, attachments } = props
  return (
    <PortalLayout ctx={props.ctx} title={item.title}>
      <nav aria-label="位置" class="crumbs">
        <a href={`/agencies/${item.agency_id}`}>{agency?.name}</a> ›{' '}
        <a href={`/columns/${item.column_id}`}>{column?.name}</a>
      </nav>
      <CatalogueBlock item={item} agencyName={agency?.name} />
      <h1 class="item-title">{item.title}</h1>
      {item.validity !== 'valid' && (
        <Notice kind="warn">
          本文件已{validityLabels[item.validity as keyof typeof validityLabels]}（{item.repealed_on ?? item.lapsed_on}
          ）。
        </Notice>
      )}
      {item.status === 'withdrawn' ? (
        <Notice kind="warn">本信息已撤回。撤回说明：{item.withdrawn_reason}</Notice>
      ) : (
        <>
          <div class="item-body" dangerouslySetInnerHTML={{ __html: props.bodyHtml }} />
          {attachments.length > 0 && (
            <section aria-labelledby="att-h">
              <h2 id="att-h">附件</h2>
              <ul class="attachments">
                {attachments.map((a) => (
                  <li>
                    <a href={`/items/${item.id}/attachments/${a.id}`}>{a.file_name}</a>{' '}
                    <span class="hint">
                      （{fileKind(a.file_name, a.content_type)}，{fileSize(a.size)}）
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          )}
          <Related related={props.related} />
        </>
      )}
    </PortalLayout>
  )
}
