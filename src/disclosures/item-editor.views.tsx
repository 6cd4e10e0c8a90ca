import type { FormState } from '../web/form.tsx'
import { Notice } from '../web/form.tsx'
import { ConsoleLayout } from '../web/layout.tsx'
import type { PageContext } from '../web/layout.tsx'
import { editorAssets } from './editor-assets.ts'
import { shownBody } from './rich-text.ts'

// The body of an item (issue #12). Without script it is the textarea it always was, taking plain
// text or basic markup; with script, public/item-editor.js puts a rich-text editor (Quill) in its
// place and writes the editor's HTML back into the same field on submit. Either way the server
// sanitises the body by its allow-list (rich-text.ts), which also cleans what is pasted from Word.
// 预览 posts the form to /console/items/preview, which shows the body as the portal will.

export const editorHint = '用工具栏设置标题、加粗、列表、链接和表格；从 Word 粘贴的内容会自动去除多余格式。'

export function BodyField(props: { form: FormState }) {
  const f = props.form
  const body = typeof f.values.body === 'string' ? f.values.body : ''
  const error = f.errors.body
  const preview = body.trim() ? shownBody(body) : ''
  return (
    <div class={error ? 'field wide body-field has-error' : 'field wide body-field'}>
      <label for="f-body" id="l-body">
        正文<span class="req">（必填）</span>
      </label>
      <p class="hint" id="h-body" data-editor-hint={editorHint}>
        可直接输入文字（每段一行），也可保留段落、加粗、列表、表格、链接等基本格式；其他格式会被去除。
      </p>
      {error && (
        <p class="error" id="e-body">
          {error}
        </p>
      )}
      <textarea
        id="f-body"
        name="body"
        rows={12}
        aria-describedby={error ? 'h-body e-body' : 'h-body'}
        data-rich-editor
        data-editor-style={editorAssets.quillStyle}
      >
        {body}
      </textarea>
      {preview && (
        <details class="body-preview">
          <summary>正文按门户网站样式显示</summary>
          <div class="item-body portal-preview" dangerouslySetInnerHTML={{ __html: preview }} />
        </details>
      )}
      <p class="body-actions">
        <button type="submit" class="secondary" formaction="/console/items/preview" formtarget="_blank" formnovalidate>
          预览
        </button>{' '}
        <span class="hint">在新窗口按门户网站的样式显示正文，不保存。</span>
      </p>
      <script src={editorAssets.quillScript} defer />
      <script src={editorAssets.script} defer />
    </div>
  )
}

/** The body as the portal will show it, sanitised, with nothing stored. */
export function BodyPreviewPage(props: { ctx: PageContext; title: string; html: string }) {
  return (
    <ConsoleLayout ctx={props.ctx} title="正文预览">
      <p class="preview-banner">预览：以下按门户网站的样式显示正文，尚未保存。关闭本页返回编辑。</p>
      <article class="portal-preview">
        <h1>{props.title.trim() || '（未填写名称）'}</h1>
        {props.html ? (
          <div class="item-body" dangerouslySetInnerHTML={{ __html: props.html }} />
        ) : (
          <Notice kind="warn">正文为空。</Notice>
        )}
      </article>
    </ConsoleLayout>
  )
}
