import type { Selectable, Generated, Kysely, Transaction } from 'kysely'

// Every table, as Kysely sees it. Instants are ISO-8601 UTC text; booleans are 0/1 integers
// (better-sqlite3 cannot bind booleans, stack.md pitfall 11).

export interface RegionTable {
  id: Generated<number>
  name: string
  created_at: string
}

export interface AgencyTable {
  id: Generated<number>
  region_id: number
  name: string
  credit_code: string
  level: string
  kind: string
  parent_id: number | null
  is_supervising: Generated<number>
  created_at: string
  updated_at: string
}

export interface UnitTable {
  id: Generated<number>
  agency_id: number
  name: string
  kind: string
  created_at: string
}

export interface UserTable {
  id: Generated<number>
  agency_id: number
  username: string
  display_name: string
  password_hash: string
  password_set_at: string
  /** 1 while the password is an initial or reset one that must be changed at first login. */
  password_temporary: Generated<number>
  /** When a temporary password stops working (AUTH-06). */
  temporary_expires_at: string | null
  failed_logins: Generated<number>
  locked_until: string | null
  disabled: Generated<number>
  totp_secret: string | null
  totp_enabled: Generated<number>
  totp_last_step: number | null
  created_at: string
  last_login_at: string | null
  /** The account's own e-mail address, encrypted (AAD users:<id>:email); set by its owner, for reset links. */
  email_enc: string | null
}

/** A one-time password-reset link: only its hash, for a short time and a single use (issue #14). */
export interface PasswordResetTable {
  id: Generated<number>
  user_id: number
  token_hash: string
  expires_at: string
  used_at: string | null
  created_by: number | null
  created_at: string
}

export interface PasswordHistoryTable {
  id: Generated<number>
  user_id: number
  password_hash: string
  created_at: string
}

export interface UserRoleTable {
  user_id: number
  role: string
  review_level: number | null
  granted_at: string
  granted_by: number | null
}

export interface SessionTable {
  /** SM3 of the cookie value; the cookie itself is never stored. */
  id: string
  user_id: number
  stage: string
  created_at: string
  last_seen_at: string
  ip: string
  user_agent: string
}

export interface SettingTable {
  key: string
  value: string
  updated_at: string
  updated_by: number | null
}

export interface AuditLogTable {
  seq: number
  at: string
  actor_id: number | null
  actor_name: string
  actor_roles: string
  agency_id: number | null
  action: string
  object_type: string
  object_id: string
  source_ip: string
  result: string
  detail: string
  mac: string
}

export interface AnnualReportTable {
  id: Generated<number>
  agency_id: number
  year: number
  format: string
  /** 'computed' from the platform's records, or 'imported' from a published document. */
  source: string
  /** 'draft', 'in_review', 'approved', 'published' or 'superseded' (computed); 'imported'. */
  status: string
  version: Generated<number>
  /** How many times the report was submitted for review; signatures belong to a round. */
  review_round: Generated<number>
  /** The interchange JSON (report-interchange.md). */
  data: string
  source_name: string | null
  override_reason: string | null
  supersedes_id: number | null
  created_at: string
  created_by: number | null
  /** Who changed the content after the drafter (JSON array of user ids): none of them may sign its review. */
  editors: string | null
  /** The last scan's findings (JSON) while any stands, and those the 保密审查 reviewer cleared, as for items. */
  findings: string | null
  cleared_findings: string | null
  updated_at: string
  published_at: string | null
  published_by: number | null
}

export interface ApplicationTable {
  id: Generated<number>
  agency_id: number
  /** The tracking number given to the applicant. */
  number: string
  applicant_category: string
  received_on: string
  concluded_on: string | null
  outcome: string | null
  created_at: string
  channel: string | null
  submitted_at: string | null
  /** open | correction | concluded */
  status: string | null
  applicant_kind: string | null
  applicant_name_enc: string | null
  applicant_name_masked: string | null
  contact_person_enc: string | null
  id_type: string | null
  id_number_enc: string | null
  credit_code: string | null
  /** A keyed hash of the applicant's document number: the same applicant found again without decrypting. */
  applicant_key: string | null
  phone_enc: string | null
  email_enc: string | null
  address_enc: string | null
  postcode: string | null
  info_title: string | null
  info_doc_number: string | null
  info_description: string | null
  wanted_form: string | null
  delivery_way: string | null
  needs_assistance: number | null
  /** The 查询码 as a keyed hash bound to the number (applicant-data.ts queryCodeHash); null once erased. */
  query_code_hash: string | null
  idempotency_key: string | null
  /** A keyed hash of what was submitted under the idempotency key: a reuse with other content is refused. */
  idempotency_digest: string | null
  /** JSON array of flags for the handler (no_js, possible_repeat, frequent). */
  flags: string | null
  handler_id: number | null
  /** Cached from the statutory clock for the queues; the clock itself is recomputed from the events. */
  due_on: string | null
  paused_since: string | null
  reply_type: string | null
  legal_basis: string | null
  decided_on: string | null
  delivered_method: string | null
  delivered_on: string | null
  on_time: number | null
  fee_method: string | null
  fee_amount: number | null
  related_application_id: number | null
  updated_at: string | null
  /** Art. 36 (七): the law that governs access to registration records, and where to apply under it. */
  query_law: string | null
  query_office: string | null
  /** Art. 36 (五): the agency responsible for the information, and how to reach it, when known. */
  responsible_agency: string | null
  responsible_contact: string | null
  /** 1 when `due_on` is 暂定: it runs into a year whose holiday notice is not recorded yet. */
  due_provisional: Generated<number>
}

/** An application as read. */
export type ApplicationRow = Selectable<ApplicationTable>

export interface ApplicationEventTable {
  id: Generated<number>
  application_id: number
  kind: string
  on_date: string
  detail: string
  actor_id: number | null
  actor_name: string
  created_at: string
}

export interface ApplicationFileTable {
  id: Generated<number>
  application_id: number
  file_name: string
  content_type: string
  size: number
  sha256: string
  storage_key: string
  created_at: string
  /** The applicant's online answer to a 补正 request (条例 art. 30) this file came with, if any. */
  correction_answer_id: number | null
}

/** The applicant's online answer to a 补正 request (条例 art. 30): the corrected application's receipt. */
export interface CorrectionAnswerTable {
  id: Generated<number>
  application_id: number
  answered_on: string
  /** Encrypted with the field key like the other personal data (AAD: the number and `correction_answer`). */
  text_enc: string | null
  created_at: string
}

export interface LetterTable {
  id: Generated<number>
  application_id: number
  kind: string
  body_enc: string
  status: string
  issued_on: string | null
  created_by: number | null
  created_at: string
  updated_at: string
  /** The date the letter bears: the date of the step it answers (the decision date for a decision). */
  dated_on: string | null
  /** The 文号 given on issue from the agency's pattern, numbered per agency and year. */
  reference: string | null
  reference_agency_id: number | null
  reference_year: number | null
  reference_seq: number | null
}

export interface AppealTable {
  id: Generated<number>
  agency_id: number
  application_id: number | null
  kind: string
  filed_on: string
  raw_result: string | null
  concluded_on: string | null
  note: string | null
  created_at: string
}

export interface ReviewTable {
  id: Generated<number>
  agency_id: number
  object_type: string
  object_id: number
  round: number
  level: number
  reviewer_id: number
  decision: string
  /** The checks the reviewer confirmed, as a JSON array of check codes. */
  checks: string
  reason: string | null
  at: string
}

export interface ColumnTable {
  id: Generated<number>
  agency_id: number
  parent_id: number | null
  name: string
  class: string
  article20_item: number | null
  sort: number
  created_at: string
}

export interface ItemTable {
  id: Generated<number>
  agency_id: number
  column_id: number
  /** The unit that reported it (information reporting, 信息报送). */
  unit_id: number | null
  /** The channel the item is counted in once; its other publications are counted per channel. */
  primary_channel_id: number | null
  /** 索引号: issued when the item is created, never changed. */
  index_number: string
  title: string
  doc_number: string | null
  written_on: string | null
  /** 形成或变更日期: art. 26 counts 20 working days from it. */
  formed_on: string
  topic: string | null
  genre: string | null
  keywords: string | null
  summary: string | null
  /** The body as plain text paragraphs; rendered escaped. */
  body: string
  /** The body's HTML as the portal shows it (shownBody), kept for the body and sanitiser of `shown_body_key`. */
  shown_body: Generated<string | null>
  /** What `shown_body` was made from: the sanitiser's version and a hash of the body (rich-text.ts shownBodyKey). */
  shown_body_key: Generated<string | null>
  /** 'rule' or 'normative' for 规章 and 行政规范性文件 (report section 二(一)). */
  doc_kind: string | null
  validity: string
  effective_on: string | null
  repealed_on: string | null
  lapsed_on: string | null
  /** 'draft', 'in_review', 'approved', 'published', 'withdrawn', 'quarantined'. */
  status: string
  /** 'platform', or 'imported' from an agency's old site with its original publication date. */
  source: Generated<string>
  review_round: Generated<number>
  /** The last scan's findings (JSON), while any stands. */
  findings: string | null
  /** Findings the confidentiality reviewer cleared, with who, when and why (JSON). */
  cleared_findings: string | null
  withdrawn_reason: string | null
  /** A scheduled publication: when, and by whom; the item is published at the server's time then. */
  scheduled_at: string | null
  scheduled_by: number | null
  created_by: number | null
  /** Who changed the content after the drafter (JSON array of user ids): none of them may sign its review. */
  editors: string | null
  created_at: string
  updated_at: string
  published_at: string | null
  published_by: number | null
}

export interface AttachmentTable {
  id: Generated<number>
  item_id: number
  agency_id: number
  file_name: string
  content_type: string
  size: number
  sha256: string
  /** Where the bytes lie under DATA_DIR/files: a server-made name, never the uploaded one. */
  storage_key: string
  created_at: string
  created_by: number | null
}

export interface ChannelTable {
  id: Generated<number>
  agency_id: number
  name: string
  /** 'portal', 'wechat', 'credit', 'services', 'gazette', 'other'. */
  kind: string
  created_at: string
}

export interface ItemChannelTable {
  item_id: number
  channel_id: number
  published_at: string
  link: string | null
  recorded_by: number | null
  recorded_at: string
}

export interface IndexSerialTable {
  agency_id: number
  year: number
  last: number
}

export interface ItemSearchTable {
  item_id: number
  published_at: string
  tokens: string
}

export interface SearchPostingTable {
  gram: string
  impact: number
  doc: number
  tf: number
  dl: number
}

export interface SearchGramTable {
  gram: string
  listed: number
  floor: number
  spill: number
}

export interface SearchStatsTable {
  id: number
  docs: number
  tokens: number
  snapshot_avg: number
  rebuild: number
}

export interface SearchRepairTable {
  item_id: number
}

export interface HolidayCalendarTable {
  date: string
  /** 'holiday' (a weekday off) or 'makeup_workday' (a weekend day worked, 调休). */
  kind: string
  name: string
}

export interface CalendarYearTable {
  year: number
  source: string
  recorded_at: string
}

export interface SiteStateTable {
  id: number
  generation: number
  /** Moved by changes that can touch every public page; a stored page rendered at another is not served. */
  layout_generation: number
  /** The code that rendered the kept pages (web/page-store.ts codeVersion). */
  render_version: string | null
}

/** Rendered public pages kept compressed, read by path (web/page-store.ts). */
export interface StoredPageTable {
  item_id: number
  layout_generation: number
  content_type: string
  /** The page's size before compression. */
  size: number
  br: Buffer
}

export interface PowerItemTable {
  id: Generated<number>
  agency_id: number
  type: string
  name: string
  valid_from: string
  valid_to: string | null
  created_at: string
}
export interface ActivityDecisionTable {
  id: Generated<number>
  agency_id: number
  kind: string
  decided_on: string
  matter: string
  count: number
  created_at: string
}
export interface FeeCollectionTable {
  id: Generated<number>
  agency_id: number
  collected_on: string
  item: string
  amount_fen: number
  created_at: string
}
export interface ProcurementProjectTable {
  id: Generated<number>
  agency_id: number
  contracted_on: string
  name: string
  amount_fen: number
  created_at: string
}

export interface JobTable {
  id: Generated<number>
  agency_id: number
  kind: string
  label: string
  status: string
  done: number
  total: number
  message: string | null
  file_key: string | null
  file_name: string | null
  file_type: string | null
  created_by: number | null
  created_at: string
  updated_at: string
  /** The process running the job renews this while it runs; past it, the job was cut off. */
  lease_until: string | null
}

/** A fixed-window counter or a single-use mark shared by every process (security/shared-counters.ts). */
export interface RateCounterTable {
  key: string
  /** The window's start in milliseconds since the epoch; 0 for a single-use mark. */
  window_start: number
  hits: number
  /** Milliseconds since the epoch after which the row is pruned. */
  expires_at: number
}

/** Requests refused by a rate limit, counted per route, address and hour in one row. */
export interface RateLimitBlockTable {
  route: string
  address: string
  /** The hour, as the ISO timestamp (UTC) of its start. */
  hour: string
  blocked: number
  first_at: string
  last_at: string
}

export interface MailOutboxTable {
  id: Generated<number>
  /** The application a message to an applicant tells of; null for a message to staff (user_id). */
  application_id: number | null
  application_number: string | null
  /** The member of staff a message goes to (a password-reset link); null for an applicant's. */
  user_id: number | null
  /** A message's own body, encrypted (AAD users:<id>:mail); erased once sent. Applicants' messages are composed. */
  body_enc: string | null
  /** What the message tells: received | correction | extension | fee | delay | decision. */
  kind: string
  /** The applicant's address, encrypted as the application's e-mail field; null once erased. */
  recipient_enc: string | null
  /** queued | sending | sent | failed */
  status: string
  attempts: number
  next_attempt_at: string
  /** A worker holds a message it is sending until then; after that another may take it again. */
  claimed_until: string | null
  last_error: string | null
  sent_at: string | null
  created_at: string
  updated_at: string
}

export interface Database {
  regions: RegionTable
  agencies: AgencyTable
  units: UnitTable
  users: UserTable
  password_history: PasswordHistoryTable
  password_resets: PasswordResetTable
  user_roles: UserRoleTable
  sessions: SessionTable
  settings: SettingTable
  audit_log: AuditLogTable
  annual_reports: AnnualReportTable
  applications: ApplicationTable
  application_events: ApplicationEventTable
  application_files: ApplicationFileTable
  correction_answers: CorrectionAnswerTable
  letters: LetterTable
  appeals: AppealTable
  power_items: PowerItemTable
  activity_decisions: ActivityDecisionTable
  fee_collections: FeeCollectionTable
  procurement_projects: ProcurementProjectTable
  jobs: JobTable
  mail_outbox: MailOutboxTable
  reviews: ReviewTable
  columns: ColumnTable
  items: ItemTable
  index_serials: IndexSerialTable
  item_search: ItemSearchTable
  search_repair: SearchRepairTable
  search_postings: SearchPostingTable
  search_grams: SearchGramTable
  search_stats: SearchStatsTable
  attachments: AttachmentTable
  channels: ChannelTable
  item_channels: ItemChannelTable
  holiday_calendar: HolidayCalendarTable
  calendar_years: CalendarYearTable
  site_state: SiteStateTable
  stored_pages: StoredPageTable
  rate_counters: RateCounterTable
  rate_limit_blocks: RateLimitBlockTable
}

export type DatabaseKind = 'sqlite' | 'postgres'
export type Db = Kysely<Database>
/** A query runner: the database itself or an open transaction. */
export type Executor = Kysely<Database> | Transaction<Database>
