import type { z } from 'zod'
import type { FormState } from './form.tsx'

export type Parsed<T> = { ok: true; data: T } | { ok: false; form: FormState }

/** Parses a posted form; on failure returns the input (without secrets) and one Chinese message per field. */
export function parseForm<S extends z.ZodType>(
  schema: S,
  body: unknown,
  secret: readonly string[] = [],
): Parsed<z.infer<S>> {
  const values: Record<string, unknown> = {}
  if (body && typeof body === 'object') {
    for (const [k, v] of Object.entries(body)) if (k !== '_csrf' && !secret.includes(k)) values[k] = v
  }
  const input = body && typeof body === 'object' ? { ...body } : {}
  const result = schema.safeParse(input)
  if (result.success) return { ok: true, data: result.data }
  const errors: Record<string, string> = {}
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? '_form')
    errors[field] ??= issue.message
  }
  return { ok: false, form: { values, errors } }
}
