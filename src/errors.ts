// One error class with a closed list of codes; the domain never speaks HTTP (see web/app.ts).
export type ErrorCode =
  | 'not_found'
  | 'forbidden'
  | 'invalid_input'
  | 'invalid_transition'
  | 'conflict'
  | 'deadline_passed'
  /** Too much of one costly kind of work at once (search/full-scoring.ts): try again shortly. */
  | 'busy'

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Field-specific messages for forms, keyed by field name. */
    readonly fields: Readonly<Record<string, string>> = {},
  ) {
    super(message)
    this.name = 'AppError'
  }
}
