import type { FormState } from '../web/form.tsx'

/** One narrative section; after a refused save it shows what was typed and why it was refused, beside it. */
export function NarrativeField(props: {
  form: FormState
  name: string
  label: string
  value: string | null
  hint?: string
}) {
  const error = props.form.errors[props.name]
  const typed = props.form.values[props.name]
  const describedBy = [props.hint ? `h-${props.name}` : '', error ? `e-${props.name}` : ''].filter(Boolean).join(' ')
  return (
    <div class={error ? 'field wide has-error' : 'field wide'}>
      <label for={`f-${props.name}`}>{props.label}</label>
      {props.hint && (
        <p class="hint" id={`h-${props.name}`}>
          {props.hint}
        </p>
      )}
      {error && (
        <p class="error" id={`e-${props.name}`}>
          {error}
        </p>
      )}
      <textarea
        id={`f-${props.name}`}
        name={props.name}
        rows={8}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy || undefined}
      >
        {typeof typed === 'string' ? typed : (props.value ?? '')}
      </textarea>
    </div>
  )
}
