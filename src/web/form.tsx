import type { ComponentChildren } from 'preact'

// Form pieces: every field has a label; an error is tied to its field (aria-describedby) and listed
// in a summary at the top, so that a screen reader hears it first.

export type FormState = Readonly<{
  values: Readonly<Record<string, unknown>>
  errors: Readonly<Record<string, string>>
}>
export const emptyForm: FormState = { values: {}, errors: {} }

export const Csrf = (props: { token: string }) => <input type="hidden" name="_csrf" value={props.token} />

export function ErrorSummary(props: { form: FormState; message?: string | undefined; idSuffix?: string | undefined }) {
  const entries = Object.entries(props.form.errors)
  if (entries.length === 0 && !props.message) return null
  return (
    <div class="error-summary" role="alert" tabIndex={-1}>
      <h2>请修改以下内容</h2>
      {props.message && <p>{props.message}</p>}
      {entries.length > 0 && (
        <ul>
          {entries.map(([field, message]) => (
            <li>
              <a href={`#f-${field}${props.idSuffix ? `-${props.idSuffix}` : ''}`}>{message}</a>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

type FieldProps = {
  form: FormState
  name: string
  label: string
  type?: string
  hint?: string
  autocomplete?: string
  required?: boolean
  /** Passwords are never sent back to the browser. */
  keep?: boolean
  inputmode?: 'numeric' | 'text'
  /** Makes the id unique when a page holds several forms with the same field names. */
  idSuffix?: string | undefined
}

export function Field(props: FieldProps) {
  const error = props.form.errors[props.name]
  const fid = `f-${props.name}${props.idSuffix ? `-${props.idSuffix}` : ''}`
  const value = props.keep === false ? '' : stringValue(props.form.values[props.name])
  const describedBy = [props.hint ? `h-${fid}` : '', error ? `e-${fid}` : ''].filter(Boolean).join(' ')
  return (
    <div class={error ? 'field has-error' : 'field'}>
      <label for={fid}>
        {props.label}
        {props.required && <span class="req">（必填）</span>}
      </label>
      {props.hint && (
        <p class="hint" id={`h-${fid}`}>
          {props.hint}
        </p>
      )}
      {error && (
        <p class="error" id={`e-${fid}`}>
          {error}
        </p>
      )}
      <input
        id={fid}
        name={props.name}
        type={props.type ?? 'text'}
        value={value}
        autocomplete={props.autocomplete}
        inputMode={props.inputmode}
        required={props.required}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy || undefined}
      />
    </div>
  )
}

export function Select(props: {
  form: FormState
  name: string
  label: string
  options: readonly (string | { value: string; label: string })[]
  required?: boolean
  placeholder?: string
  idSuffix?: string | undefined
}) {
  const error = props.form.errors[props.name]
  const fid = `f-${props.name}${props.idSuffix ? `-${props.idSuffix}` : ''}`
  const value = stringValue(props.form.values[props.name])
  return (
    <div class={error ? 'field has-error' : 'field'}>
      <label for={fid}>
        {props.label}
        {props.required && <span class="req">（必填）</span>}
      </label>
      {error && (
        <p class="error" id={`e-${fid}`}>
          {error}
        </p>
      )}
      <select
        id={fid}
        name={props.name}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `e-${fid}` : undefined}
      >
        <option value="">{props.placeholder ?? '请选择'}</option>
        {props.options.map((o) => {
          const opt = typeof o === 'string' ? { value: o, label: o } : o
          return (
            <option value={opt.value} selected={opt.value === value}>
              {opt.label}
            </option>
          )
        })}
      </select>
    </div>
  )
}

export const stringValue = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '')

export function Notice(props: { kind?: 'ok' | 'warn'; children: ComponentChildren }) {
  return (
    <div class={`notice ${props.kind ?? 'ok'}`} role="status">
      {props.children}
    </div>
  )
}
