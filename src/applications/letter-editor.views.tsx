import type { LetterDocument } from '../documents/pdf.ts'
import { Csrf } from '../web/form.tsx'
import type { PageContext } from '../web/layout.tsx'
import { letterDocument } from './letter.ts'
import type { LetterView } from './letter.service.ts'

// A letter before issue (issue #12): its text in a textarea across the page, and beside it the
// letter as it will be issued, drawn from the very LetterDocument the PDF and DOCX are made of
// (letter.ts letterDocument), so what the handler reads is what the applicant receives. 预览 shows
// the edited text without saving; 保存修改 saves it; 印发 saves and issues.

/** What the handler typed into a letter, kept when it is previewed or refused. */
export type LetterInput = { id: number; body: string; error?: string | undefined }

export function LetterEditor(props: {
  ctx: PageContext
  applicationId: number
  applicationNumber: string
  today: string
  letter: LetterView
  input?: LetterInput | undefined
}) {
  const l = props.letter
  const input = props.input?.id === l.id ? props.input : undefined
  const text = input ? input.body : l.body
  const action = `/console/applications/${props.applicationId}/letters/${l.id}`
  const fid = `letter-${l.id}`
  const doc = letterDocument(l.kind, l.agency, props.applicationNumber, text, l.datedOn ?? props.today, l.reference)
  return (
    <>
      <form method="post" action={action} class="letter-editor">
        <Csrf token={props.ctx.csrf} />
        <label for={fid}>文书内容（每段一行，可修改）</label>
        <p class="hint" id={`${fid}-hint`}>
          第一行为称呼，其后每行为一段；文号在印发时编定，落款和日期按下方预览生成。
        </p>
        {input?.error && (
          <p class="error" id={`${fid}-error`}>
            {input.error}
          </p>
        )}
        <textarea
          id={fid}
          name="body"
          rows={18}
          aria-describedby={input?.error ? `${fid}-hint ${fid}-error` : `${fid}-hint`}
          aria-invalid={input?.error ? 'true' : undefined}
        >
          {text}
        </textarea>
        <p class="buttons">
          <button type="submit" name="do" value="preview" class="secondary" formaction={`${action}#${fid}-preview`}>
            预览
          </button>
          <button type="submit" name="do" value="save" class="secondary">
            保存修改
          </button>
          <button type="submit" name="do" value="issue">
            印发
          </button>
        </p>
      </form>
      <section id={`${fid}-preview`} aria-labelledby={`${fid}-preview-h`} tabIndex={-1}>
        <h4 id={`${fid}-preview-h`}>印发效果预览{input ? '（按修改后的内容，尚未保存）' : '（按已保存的内容）'}</h4>
        <LetterPage doc={doc} />
      </section>
    </>
  )
}

/** A letter laid out as the issued PDF and DOCX lay it out: agency, title, 文号, paragraphs, signature. */
export function LetterPage(props: { doc: LetterDocument }) {
  const { doc } = props
  return (
    <div class="letter-page">
      <p class="letter-agency">{doc.agency}</p>
      <p class="letter-title">{doc.title}</p>
      <p class="letter-reference">{doc.reference}</p>
      <div class="letter-body">
        {doc.paragraphs.map((p) => (
          <p>{p}</p>
        ))}
      </div>
      <div class="letter-sign">
        <p>{doc.agency}</p>
        <p>{doc.date}</p>
      </div>
    </div>
  )
}
