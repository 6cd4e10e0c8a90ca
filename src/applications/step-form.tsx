import type { ComponentChildren } from 'preact'
import { Csrf, Field, emptyForm, stringValue } from '../web/form.tsx'
import type { FormState } from '../web/form.tsx'
import type { PageContext } from '../web/layout.tsx'
import type { ApplicationView } from './application.service.ts'
import type { LetterInput } from './letter-editor.views.tsx'

// The building blocks of the step forms on an application page: each step is one small form that
// keeps its own input and errors when it fails.

/** An application page: the application as the console sees it, and the step that failed, if any. */
export type ApplicationPageProps = ApplicationView & {
  ctx: PageContext
  form: FormState
  action?: string | undefined
  message?: string | undefined
  notice?: string | undefined
  /** A letter's text as typed, kept when previewed or refused (letter-editor.views.tsx). */
  letterInput?: LetterInput | undefined
}

/** The page state a step form needs: which step failed, with what input. */
type StepFormState = { action?: string | undefined; form: FormState }

export const options = (labels: Record<string, string>) =>
  Object.entries(labels).map(([value, label]) => ({ value, label }))
export const formFor = (props: StepFormState) => (action: string) => (action === props.action ? props.form : emptyForm)

export function DateField(props: { form: FormState; name: string; label: string; today: string; idSuffix?: string }) {
  const value = stringValue(props.form.values[props.name]) || props.today
  return (
    <Field
      form={{ values: { ...props.form.values, [props.name]: value }, errors: props.form.errors }}
      name={props.name}
      label={props.label}
      type="date"
      required
      idSuffix={props.idSuffix}
    />
  )
}

export function ActionForm(props: {
  ctx: PageContext
  id: number
  action: string
  title: string
  button: string
  children?: ComponentChildren
}) {
  return (
    <form
      method="post"
      action={`/console/applications/${props.id}/${props.action}`}
      class="action"
      aria-label={props.title}
    >
      <Csrf token={props.ctx.csrf} />
      <h3>{props.title}</h3>
      {props.children}
      <button type="submit">{props.button}</button>
    </form>
  )
}
