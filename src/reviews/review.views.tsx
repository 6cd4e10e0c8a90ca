import { formatShanghai } from '../clock.ts'
import { Csrf } from '../web/form.tsx'
import type { FormState } from '../web/form.tsx'
import type { PageContext } from '../web/layout.tsx'
import { reviewCheckLabels } from './review.ts'
import type { ReviewCheck, ReviewConfig } from './review.ts'
import type { SignatureRow } from './review.service.ts'

export type ReviewView = {
  config: ReviewConfig
  signatures: SignatureRow[]
  waitingLevel: number | 'complete'
  mayReview: boolean
  requiredChecks: ReviewCheck[]
}

/**
 * The review levels of an object: its signatures, the submit button for its author, the signing form for the waiting
 * level's reviewer.
 */
export function ReviewSection(props: {
  ctx: PageContext
  base: string
  status: string
  review: ReviewView
  form: FormState
  canSubmit: boolean
}) {
  const { review, base } = props
  // After a refused decision the reviewer's ticks and reason are shown again, as typed.
  const kept = (name: string): string[] => [props.form.values[name] ?? []].flat().map(String)
  return (
    <section aria-labelledby="review-h">
      <h2 id="review-h">审核（先审后发）</h2>
      <p>
        审核级别：{review.config.levels.map((l, i) => `${i + 1}. ${l}`).join('；')}。
        {props.status === 'in_review' && typeof review.waitingLevel === 'number' && (
          <strong>当前待{review.config.levels[review.waitingLevel - 1]}。</strong>
        )}
      </p>
      {review.signatures.length > 0 && (
        <table>
          <caption>审核记录</caption>
          <thead>
            <tr>
              <th scope="col">轮次</th>
              <th scope="col">级别</th>
              <th scope="col">审核人</th>
              <th scope="col">结论</th>
              <th scope="col">时间</th>
              <th scope="col">意见</th>
            </tr>
          </thead>
          <tbody>
            {review.signatures.map((s) => (
              <tr>
                <td>{s.round}</td>
                <td>{s.level === 0 ? '审核流程外退回' : (review.config.levels[s.level - 1] ?? s.level)}</td>
                <td>{s.reviewerName}</td>
                <td>{s.decision === 'approved' ? '通过' : '退回'}</td>
                <td>{formatShanghai(s.at)}</td>
                <td>{s.reason ?? s.checks.map((c) => reviewCheckLabels[c]).join('、')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.status === 'draft' && props.canSubmit && (
        <form method="post" action={`${base}/submit`}>
          <Csrf token={props.ctx.csrf} />
          <button type="submit">提交审核</button>
        </form>
      )}
      {props.status === 'in_review' && review.mayReview && (
        <form method="post" action={`${base}/review`}>
          <Csrf token={props.ctx.csrf} />
          <fieldset>
            <legend>审核确认</legend>
            {props.form.errors.checks && <p class="error">{props.form.errors.checks}</p>}
            {review.requiredChecks.map((c) => (
              <div class="checkbox">
                <input type="checkbox" id={`c-${c}`} name="checks" value={c} checked={kept('checks').includes(c)} />
                <label for={`c-${c}`}>已审查{reviewCheckLabels[c]}</label>
              </div>
            ))}
          </fieldset>
          <div class={props.form.errors.reason ? 'field wide has-error' : 'field wide'}>
            <label for="f-reason">退回理由（退回时必填）</label>
            {props.form.errors.reason && <p class="error">{props.form.errors.reason}</p>}
            <textarea id="f-reason" name="reason" rows={2}>
              {kept('reason').join('')}
            </textarea>
          </div>
          <button type="submit" name="decision" value="approved">
            审核通过
          </button>{' '}
          <button type="submit" name="decision" value="returned" class="secondary">
            退回修改
          </button>
        </form>
      )}
    </section>
  )
}
