import type { Selectable } from 'kysely'
import { formatShanghai } from '../clock.ts'
import { findingLabels, surfaceLabel } from '../confidentiality/scan-rules.ts'
import type { Finding } from '../confidentiality/scan-rules.ts'
import { ReviewSection } from '../reviews/review.views.tsx'
import type { ReviewView } from '../reviews/review.views.tsx'
import { Csrf, ErrorSummary, Field, Notice, Select } from '../web/form.tsx'
import type { FormState } from '../web/form.tsx'
import { ConsoleLayout } from '../web/layout.tsx'
import type { PageContext } from '../web/layout.tsx'
import type { AttachmentTable } from '../storage/database.ts'
import type { ColumnRow, ItemRow } from './disclosure.store.ts'
import { genres, itemStatusLabels, validityLabels } from './disclosure.ts'
import type { Timeliness } from './timeliness.ts'
import { bodyText, shownBody } from './rich-text.ts'
import { BodyField } from './item-editor.views.tsx'

export const itemFormValues = (item: ItemRow) => ({
  columnId: String(item.column_id),
  unitId: item.unit_id ? String(item.unit_id) : '',
  primaryChannelId: item.primary_channel_id ? String(item.primary_channel_id) : '',
  title: item.title,
  docNumber: item.doc_number ?? '',
  writtenOn: item.written_on ?? '',
  formedOn: item.formed_on,
  topic: item.topic ?? '',
  genre: item.genre ?? '',
  keywords: item.keywords ?? '',
  summary: item.summary ?? '',
  body: item.body,
  docKind: item.doc_kind ?? '',
  validity: item.validity,
  effectiveOn: item.effective_on ?? '',
  repealedOn: item.repealed_on ?? '',
  lapsedOn: item.lapsed_on ?? '',
})

export type Choice = { id: number; name: string }

export function ItemForm(props: {
  ctx: PageContext
  action: string
  columns: ColumnRow[]
  units: Choice[]
  channels: Choice[]
  form: FormState
  submitLabel: string
}) {
  const f = props.form
  return (
    <form method="post" action={props.action} novalidate>
      <Csrf token={props.ctx.csrf} />
      <Select
        form={f}
        name="columnId"
        label="栏目"
        options={props.columns
          .filter((c) => c.class !== 'statutory')
          .map((c) => ({ value: String(c.id), label: c.name }))}
        required
      />
      <Field form={f} name="title" label="名称" required />
      <Select
        form={f}
        name="unitId"
        label="报送单位"
        placeholder="不注明"
        options={props.units.map((u) => ({ value: String(u.id), label: u.name }))}
      />
      <Select
        form={f}
        name="primaryChannelId"
        label="主要发布渠道"
        placeholder="门户网站（默认）"
        options={props.channels.map((c) => ({ value: String(c.id), label: c.name }))}
      />
      <Field form={f} name="docNumber" label="文号" />
      <Field form={f} name="writtenOn" label="成文日期" type="date" />
      <Field
        form={f}
        name="formedOn"
        label="形成或变更日期"
        type="date"
        hint="自此日起 20 个工作日内公开（条例第二十六条）"
        required
      />
      <Field form={f} name="topic" label="主题分类" />
      <Select form={f} name="genre" label="体裁" options={genres} />
      <Field form={f} name="keywords" label="主题词" />
      <Field form={f} name="summary" label="内容概述" />
      <BodyField form={f} />
      <Select
        form={f}
        name="docKind"
        label="文件类型"
        placeholder="一般信息"
        options={[
          { value: 'rule', label: '规章' },
          { value: 'normative', label: '行政规范性文件' },
        ]}
      />
      <Select
        form={f}
        name="validity"
        label="有效性"
        options={Object.entries(validityLabels).map(([value, label]) => ({ value, label }))}
        required
      />
      <Field form={f} name="effectiveOn" label="实施日期" type="date" />
      <Field form={f} name="repealedOn" label="废止日期" type="date" />
      <Field form={f} name="lapsedOn" label="失效日期" type="date" />
      <button type="submit">{props.submitLabel}</button>
    </form>
  )
}

export function Findings(props: { findings: Finding[]; status?: string }) {
  return (
    <div class="error-summary" role="alert">
      <h2>保密审查发现以下内容，不能发布</h2>
      {props.status === 'draft' && (
        <p>每次保存、上传附件和提交审核时自动审查。请修改后保存；确需公开的，提交审核后由保密审查人员写明理由解除。</p>
      )}
      {props.status === 'in_review' && <p>保密审查级别的审核人须先写明理由解除，或退回起草人修改，才能审核通过。</p>}
      <ul>
        {props.findings.map((f) => (
          <li>
            <strong>{findingLabels[f.kind]}</strong>：{f.masked}（位于{surfaceLabel(f.surface)}）
            {!f.clearable && '，不可解除，信息已隔离并报公开办负责人'}
          </li>
        ))}
      </ul>
    </div>
  )
}

const historyLabels: Record<string, string> = {
  'item.create': '起草',
  'item.update': '修改',
  'item.submit': '提交审核',
  'review.approve': '审核通过',
  'review.return': '退回修改',
  'item.attach': '上传附件',
  'item.detach': '删除附件',
  'item.publish': '发布',
  'item.scan_block': '保密审查发现问题，未发布',
  'item.quarantine': '发现密级标志，已隔离',
  'item.findings_clear': '解除保密审查发现',
  'item.return': '退回起草人修改',
  'item.withdraw': '撤回',
  'item.validity': '标注废止或失效',
  'item.channel': '登记其他渠道发布',
}

type AttachmentRow = Pick<Selectable<AttachmentTable>, 'id' | 'file_name' | 'size'>

function Attachments(props: {
  ctx: PageContext
  base: string
  attachments: AttachmentRow[]
  form: FormState
  canEdit: boolean
}) {
  return (
    <section aria-labelledby="att-h">
      <h2 id="att-h">附件</h2>
      {props.attachments.length === 0 ? (
        <p>无附件。</p>
      ) : (
        <ul>
          {props.attachments.map((a) => (
            <li>
              <a href={`${props.base}/attachments/${a.id}`}>{a.file_name}</a>（{Math.ceil(a.size / 1024)} KB）
              {props.canEdit && (
                <form method="post" action={`${props.base}/attachments/${a.id}/delete`} class="inline">
                  {' '}
                  <Csrf token={props.ctx.csrf} />
                  <button type="submit" class="secondary">
                    删除<span class="visually-hidden">{a.file_name}</span>
                  </button>
                </form>
              )}
            </li>
          ))}
        </ul>
      )}
      {props.canEdit && (
        <form method="post" action={`${props.base}/attachments`} enctype="multipart/form-data">
          <Csrf token={props.ctx.csrf} />
          <div class={props.form.errors.file ? 'field has-error' : 'field'}>
            <label for="f-file">上传附件（PDF、DOCX、XLSX、JPG、PNG，10 MB 以内）</label>
            {props.form.errors.file && (
              <p class="error" id="e-file">
                {props.form.errors.file}
              </p>
            )}
            <input
              id="f-file"
              name="file"
              type="file"
              accept=".pdf,.docx,.xlsx,.jpg,.jpeg,.png"
              aria-describedby={props.form.errors.file ? 'e-file' : undefined}
            />
          </div>
          <button type="submit">上传</button>
        </form>
      )}
    </section>
  )
}

export function ItemPage(props: {
  ctx: PageContext
  item: ItemRow
  columns: ColumnRow[]
  units: Choice[]
  channels: (Choice & { kind: string })[]
  form: FormState
  review: ReviewView
  message?: string | undefined
  attachments: AttachmentRow[]
  publications: { channel_id: number; name: string; published_at: string; link: string | null }[]
  timeliness?: Timeliness | undefined
  history: { seq: number; at: string; actor_name: string; action: string; result: string }[]
  canEdit: boolean
  canPublish: boolean
  canWithdraw: boolean
  canClear: boolean
  canReturn: boolean
}) {
  const { item } = props
  const base = `/console/items/${item.id}`
  const findings = item.findings ? (JSON.parse(item.findings) as Finding[]) : []
  const last = props.review.signatures.at(-1)
  const lastReturn = last?.decision === 'returned' && last.round === item.review_round ? last : undefined
  return (
    <ConsoleLayout ctx={props.ctx} title={item.title}>
      <p>
        <a href="/console/items">← 全部信息</a>
      </p>
      <h1>{item.title}</h1>
      <p>
        索引号：<code>{item.index_number}</code>；状态：<strong>{itemStatusLabels[item.status] ?? item.status}</strong>
        {item.published_at && `；发布于 ${formatShanghai(item.published_at)}`}
      </p>
      {props.timeliness &&
        (props.timeliness.due === null ? (
          <Notice kind="warn">
            公开时限无法核定：{'unverified' in props.timeliness ? props.timeliness.unverified : ''}
          </Notice>
        ) : (
          <p>
            {'notBefore' in props.timeliness
              ? `公开时限（条例第二十六条）：${props.timeliness.unrecorded.join('、')} 年放假安排尚未录入，期限最早于 ${props.timeliness.due} 届满；${item.published_at ? '本信息在该日前已公开，无论放假安排如何均未逾期' : '在该日前公开，无论放假安排如何均不会逾期'}`
              : `公开时限（条例第二十六条）：${props.timeliness.due} 前`}
            {props.timeliness.late && <strong class="error">（已逾期）</strong>}
          </p>
        ))}
      {props.message && <Notice>{props.message}</Notice>}
      {item.status === 'draft' && lastReturn && (
        <Notice kind="warn">
          {lastReturn.reviewerName}于{formatShanghai(lastReturn.at)}退回修改：{lastReturn.reason}
        </Notice>
      )}
      {findings.length > 0 && <Findings findings={findings} status={item.status} />}
      {findings.length > 0 &&
        props.canClear &&
        (item.status === 'in_review' || item.status === 'approved') &&
        findings.every((f) => f.clearable) && (
          <form method="post" action={`${base}/clear-findings`}>
            <Csrf token={props.ctx.csrf} />
            <Field
              form={props.form}
              name="reason"
              label="解除理由（保密审查）"
              hint="例如：获奖名单经本人同意公开；解除记录写入审计日志"
              required
            />
            <button type="submit" class="secondary">
              解除以上发现
            </button>
          </form>
        )}
      <ErrorSummary form={props.form} />
      <ReviewSection
        ctx={props.ctx}
        base={base}
        status={item.status}
        review={props.review}
        form={props.form}
        canSubmit={props.canEdit}
      />
      {props.canReturn && !(item.status === 'in_review' && props.review.mayReview) && (
        <form method="post" action={`${base}/return`}>
          <Csrf token={props.ctx.csrf} />
          <Field
            form={props.form}
            name="returnReason"
            label="退回起草人修改的理由"
            hint="起草人将在信息页面看到；修改后重新提交，开始新一轮审核"
            required
          />
          <button type="submit" class="secondary">
            退回修改
          </button>
        </form>
      )}
      {item.status === 'approved' && props.canPublish && (
        <>
          <form method="post" action={`${base}/publish`}>
            <Csrf token={props.ctx.csrf} />
            <button type="submit">发布</button>
          </form>
          <form method="post" action={`${base}/schedule`}>
            <Csrf token={props.ctx.csrf} />
            {item.scheduled_at && (
              <p>
                已定于 {formatShanghai(item.scheduled_at).slice(0, 16)}{' '}
                发布（届时以服务器时间为发布时间）。清空时间并保存即取消。
              </p>
            )}
            <Field form={props.form} name="at" label="定时发布（北京时间）" type="datetime-local" />
            <button type="submit" class="secondary">
              保存定时
            </button>
          </form>
        </>
      )}
      {item.status === 'published' && item.validity === 'valid' && props.canWithdraw && (
        <form method="post" action={`${base}/validity`}>
          <Csrf token={props.ctx.csrf} />
          <Select
            form={props.form}
            name="validity"
            label="标注废止或失效（信息保持公开）"
            options={[
              { value: 'repealed', label: '废止' },
              { value: 'lapsed', label: '失效' },
            ]}
            required
          />
          <Field form={props.form} name="on" label="日期" type="date" required />
          <button type="submit" class="secondary">
            标注
          </button>
        </form>
      )}
      {item.status === 'published' && props.canWithdraw && (
        <form method="post" action={`${base}/withdraw`}>
          <Csrf token={props.ctx.csrf} />
          <Field form={props.form} name="reason" label="撤回理由" required />
          <button type="submit" class="secondary">
            撤回
          </button>
        </form>
      )}
      {item.status === 'published' && (
        <section aria-labelledby="ch-h">
          <h2 id="ch-h">发布渠道</h2>
          <ul>
            {props.publications.map((p) => (
              <li>
                {p.name}：{formatShanghai(p.published_at).slice(0, 10)}
                {p.link && (
                  <>
                    {' '}
                    <a href={p.link} rel="noopener noreferrer">
                      {p.link}
                    </a>
                  </>
                )}
                {p.channel_id === item.primary_channel_id && '（主要渠道）'}
              </li>
            ))}
          </ul>
          {props.channels.some((c) => c.kind !== 'portal') && (props.canPublish || props.canEdit) && (
            <form method="post" action={`${base}/channels`}>
              <Csrf token={props.ctx.csrf} />
              <Select
                form={props.form}
                name="channelId"
                label="登记在其他渠道的发布"
                options={props.channels
                  .filter((c) => c.kind !== 'portal')
                  .map((c) => ({ value: String(c.id), label: c.name }))}
                required
              />
              <Field form={props.form} name="publishedOn" label="发布日期" type="date" required />
              <Field form={props.form} name="link" label="链接" />
              <button type="submit" class="secondary">
                登记
              </button>
            </form>
          )}
          <div class="field wide">
            <label for="f-paste">可复制到其他平台的正文</label>
            <textarea id="f-paste" rows={6} readOnly>{`${item.title}\n\n${bodyText(item.body)}`}</textarea>
          </div>
        </section>
      )}
      <details class="history">
        <summary>处理记录（{props.history.length} 条）</summary>
        <ol>
          {props.history.map((h) => (
            <li>
              {formatShanghai(h.at)} {h.actor_name}：{historyLabels[h.action] ?? h.action}
              {h.result !== 'success' && `（${h.result === 'denied' ? '未通过' : '失败'}）`}
            </li>
          ))}
        </ol>
      </details>
      <Attachments
        ctx={props.ctx}
        base={base}
        attachments={props.attachments}
        form={props.form}
        canEdit={item.status === 'draft' && props.canEdit}
      />
      {item.status === 'draft' && props.canEdit ? (
        <section aria-labelledby="edit-h">
          <h2 id="edit-h">修改</h2>
          <ItemForm
            ctx={props.ctx}
            action={base}
            columns={props.columns}
            units={props.units}
            channels={props.channels}
            form={
              props.form.errors && Object.keys(props.form.errors).length
                ? props.form
                : { values: itemFormValues(item), errors: {} }
            }
            submitLabel="保存"
          />
        </section>
      ) : (
        <section aria-labelledby="body-h">
          <h2 id="body-h">正文</h2>
          <div class="item-body" dangerouslySetInnerHTML={{ __html: shownBody(item.body) }} />
        </section>
      )}
    </ConsoleLayout>
  )
}

export function NewItemPage(props: {
  ctx: PageContext
  columns: ColumnRow[]
  units: Choice[]
  channels: (Choice & { kind: string })[]
  form: FormState
}) {
  return (
    <ConsoleLayout ctx={props.ctx} title="起草信息">
      <h1>起草主动公开信息</h1>
      <ItemForm
        ctx={props.ctx}
        action="/console/items"
        columns={props.columns}
        units={props.units}
        channels={props.channels}
        form={props.form}
        submitLabel="保存草稿"
      />
    </ConsoleLayout>
  )
}
