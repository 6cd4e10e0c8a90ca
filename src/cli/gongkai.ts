import { parseArgs } from 'node:util'
import '../validation-messages.ts'
import { createAccount, resetPassword, unlockAccount } from '../accounts/account.service.ts'
import { findUserByUsername } from '../accounts/account.store.ts'
import { isRole, maxReviewLevel } from '../accounts/roles.ts'
import type { Role } from '../accounts/roles.ts'
import { findAgencyByCreditCode, findAgencyById, listAgencies } from '../agencies/agency.store.ts'
import { formatHead, parseHead, systemActor } from '../audit/audit.ts'
import { recordAudit, verifyAuditChain } from '../audit/audit.service.ts'
import { checkRestored, createBackup, restoreBackup } from '../backup/backup.service.ts'
import { loadConfig } from '../config.ts'
import type { Deps } from '../deps.ts'
import { AppError } from '../errors.ts'
import { createDeps, serve } from '../main.ts'
import { migrateToLatest } from '../storage/migrate.ts'
import { reportCheck, reportImport } from './report-commands.ts'
import { scanCommand } from './scan-command.ts'
import { calendarCommand } from './calendar-command.ts'
import { clockCommand } from './clock-command.ts'
import { computeReport } from '../reports/report-compute.ts'
import { formatForYear } from '../reports/report-format.ts'
import { recordsOf } from '../reports/report.service.ts'
import { appealsScopeOf } from '../reports/report-settings.service.ts'
import { busyAgency, createDemo, demoPassword, justiceBureau } from '../demo/demo.ts'
import { findRegion } from '../agencies/agency.store.ts'
import { sqliteFileName } from '../storage/open-database.ts'
import { filesDirName } from '../backup/backup.service.ts'
import { existsSync, rmSync } from 'node:fs'
import path from 'node:path'
import { purgeExpiredPersonalData } from '../applications/applicant.service.ts'

// The CLI calls the same use cases as the web; it holds no rules of its own (STYLE.md §7).

const help = `用法：gongkai <命令> [选项]

命令：
  serve                        启动平台（默认端口 3000，PORT 可改；首次启动自动建库迁移）
  migrate                      将数据库结构升级到最新版本
  user create --username <用户名> --name <姓名> --agency <机关ID或统一社会信用代码>
              [--role <角色>]... [--review-level <1-3>]
                               创建账号并输出一次性初始密码
                               角色：drafter 起草人、reviewer 审核人、publisher 发布人、
                               handler 依申请公开办理人、office_head 公开办负责人、supervisor 监督人、
                               sysadmin 系统管理员、secadmin 安全管理员、auditadmin 审计管理员
  user passwd <用户名>          重置为新的一次性初始密码（首次登录须修改）
  user unlock <用户名>          解除登录失败锁定
  audit verify [--head <条数>:<哈希>]
                               校验审计链；发现篡改、插入、删除、调序或截短时以非零状态退出
  report import <文件…|目录>    读取已发布的年报（文本、HTML、DOCX、PDF、JSON），输出交换格式 JSON
  report check [--json] <文件…|目录>
                               检查年报的勾稽关系；有错误时以 1 退出，无法读取时以 2 退出；
                               --json 每个文件输出一行结构化结果
  items import <CSV或JSON文件> --agency <机关ID或统一社会信用代码>
                               从旧网站迁移已公开的信息（保留原发布日期，标记为导入，全部成功或全部不导入）
  scan <文件…>                  发布前保密与个人信息检查（身份证号、手机号、银行卡号、密级标志等）；
                               发现问题以 1 退出
  demo [--force] [--serve]     在 DATA_DIR 生成演示区域（重庆市垫江县：垫江县司法局 2020 年记录、一个业务繁忙的机关、各角色演示账号）；
                               DATA_DIR 已有数据库时拒绝，--force 重建（仅 SQLite）；--serve 生成后启动（已有演示数据则直接启动）
  report compute --agency <机关名称、ID或统一社会信用代码> --year <年份>
                               由记录计算该机关该年度的年报，输出交换格式 JSON
  applications purge [--dry-run]
                               按保存期限（设置 requests.retentionYears，默认 10 年）清除已办结申请的证件号码、联系方式和上传材料
  calendar show <年份>          列出该年放假日和调休上班日（缺少该年安排时以 2 退出）
  calendar workdays <日期> <n>  输出该日期（YYYY-MM-DD）之后第 n 个工作日；日历缺少所需年份时以 2 退出
  clock <JSON文件|->            按条例第三十条至第三十五条和国办函〔2020〕109号计算申请的答复期限并检查各办理步骤；
                               输出 JSON；有不合法的步骤时以 1 退出，输入无法读取时以 2 退出
  search rebuild               重建检索的相关度排序表（由已建立的检索索引计算，升级后或文档平均长度变化较大时使用）
  backup <文件>                 在线备份数据库和上传文件（不含密钥）
  restore <文件>                从备份恢复（须先停止平台）

环境变量：PORT、HOST、DATA_DIR、DATABASE_URL、KEY_FILE、GONGKAI_SESSION_KEY、GONGKAI_AUDIT_KEY、GONGKAI_FIELD_KEY
`

type Out = { log: (s: string) => void; error: (s: string) => void }

export async function runCli(argv: string[], out: Out = console): Promise<number> {
  const [command, ...rest] = argv
  try {
    switch (command) {
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        out.log(help)
        return 0
      case 'serve':
        await serve()
        return 0
      case 'migrate':
        return await withDeps(async (deps) => {
          const applied = await migrateToLatest(deps.db, deps.kind, deps.keys)
          out.log(applied.length ? `已执行迁移：${applied.join('、')}` : '数据库结构已是最新')
          return 0
        }, false)
      case 'user':
        return await userCommand(rest, out)
      case 'audit':
        return await auditCommand(rest, out)
      case 'report':
        return await reportCommand(rest, out)
      case 'scan':
        return await scanCommand(rest, out)
      case 'demo':
        return await demoCommand(rest, out)
      case 'applications':
        return await withDeps((deps) => applicationsCommand(deps, rest, out))
      case 'calendar':
        return await withDeps((deps) => calendarCommand(deps, rest, out))
      case 'clock':
        return await withDeps((deps) => clockCommand(deps, rest, out))
      case 'items':
        return await itemsCommand(rest, out)
      case 'search':
        if (rest[0] !== 'rebuild') {
          out.error('用法：gongkai search rebuild')
          return 2
        }
        return await withDeps(async (deps) => {
          const { rebuildRanking } = await import('../search/ranking.ts')
          const docs = await deps.db.transaction().execute((trx) => rebuildRanking(trx, deps.kind))
          out.log(`已重建相关度排序表：${docs} 个检索文档`)
          return 0
        })
      case 'backup':
        return await backupCommand(rest, out)
      case 'restore':
        return await restoreCommand(rest, out)
      default:
        out.error(`未知命令：${command}\n\n${help}`)
        return 2
    }
  } catch (e) {
    out.error(e instanceof AppError || e instanceof Error ? `错误：${e.message}` : `错误：${String(e)}`)
    return 1
  }
}

async function withDeps(fn: (deps: Deps) => Promise<number>, migrate = true): Promise<number> {
  const deps = await createDeps({ migrate })
  try {
    return await fn(deps)
  } finally {
    await deps.db.destroy()
  }
}

async function userCommand(args: string[], out: Out): Promise<number> {
  const [sub, ...rest] = args
  const actor = systemActor()
  if (sub === 'create') {
    const { values } = parseArgs({
      args: rest,
      options: {
        username: { type: 'string' },
        name: { type: 'string' },
        agency: { type: 'string' },
        role: { type: 'string', multiple: true },
        'review-level': { type: 'string' },
      },
    })
    if (!values.username || !values.name || !values.agency) {
      out.error('须给出 --username、--name 和 --agency')
      return 2
    }
    const roles = values.role ?? []
    const bad = roles.filter((r) => !isRole(r))
    if (bad.length) {
      out.error(`未知角色：${bad.join('、')}`)
      return 2
    }
    const level = values['review-level'] ? Number(values['review-level']) : null
    if (level !== null && !(Number.isInteger(level) && level >= 1 && level <= maxReviewLevel)) {
      out.error(`--review-level 须为 1–${maxReviewLevel}`)
      return 2
    }
    return withDeps(async (deps) => {
      const agencyArg = values.agency as string
      const agency = /^\d+$/.test(agencyArg)
        ? await findAgencyById(deps.db, Number(agencyArg))
        : await findAgencyByCreditCode(deps.db, agencyArg.toUpperCase())
      if (!agency) {
        const known = (await listAgencies(deps.db)).map((a) => `  ${a.id}  ${a.creditCode}  ${a.name}`).join('\n')
        out.error(`找不到机关：${agencyArg}${known ? `\n已登记的机关：\n${known}` : '（尚未初始化，请先访问 /setup）'}`)
        return 2
      }
      const grants = (roles as Role[]).map((role) => ({ role, reviewLevel: role === 'reviewer' ? level : null }))
      const { temporaryPassword } = await createAccount(
        deps,
        actor,
        { agencyId: agency.id, username: values.username as string, displayName: values.name as string, roles: grants },
        'operator',
      )
      out.log(
        `已创建账号 ${values.username}（${agency.name}）\n一次性初始密码：${temporaryPassword}\n首次登录须修改密码。`,
      )
      return 0
    })
  }
  if (sub === 'passwd' || sub === 'unlock') {
    const username = rest[0]
    if (!username) {
      out.error(`用法：gongkai user ${sub} <用户名>`)
      return 2
    }
    return withDeps(async (deps) => {
      const user = await findUserByUsername(deps.db, username)
      if (!user) {
        out.error(`账号不存在：${username}`)
        return 2
      }
      if (sub === 'passwd') {
        out.log(
          `账号 ${username} 的新一次性初始密码：${await resetPassword(deps, actor, user.id)}\n首次登录须修改密码。`,
        )
      } else {
        await unlockAccount(deps, actor, user.id)
        out.log(`已解除账号 ${username} 的锁定`)
      }
      return 0
    })
  }
  out.error('用法：gongkai user create|passwd|unlock …')
  return 2
}

async function itemsCommand(args: string[], out: Out): Promise<number> {
  const [sub, ...rest] = args
  const { values, positionals } = parseArgs({
    args: rest,
    options: { agency: { type: 'string' } },
    allowPositionals: true,
  })
  const file = positionals[0]
  if (sub !== 'import' || !file || !values.agency) {
    out.error('用法：gongkai items import <CSV或JSON文件> --agency <机关ID或统一社会信用代码>')
    return 2
  }
  const { readFile } = await import('node:fs/promises')
  const { importItems, readImportFile } = await import('../disclosures/item-import.ts')
  return withDeps(async (deps) => {
    const agencyArg = values.agency as string
    const agency = /^\d+$/.test(agencyArg)
      ? await findAgencyById(deps.db, Number(agencyArg))
      : await findAgencyByCreditCode(deps.db, agencyArg.toUpperCase())
    if (!agency) {
      out.error(`找不到机关：${agencyArg}`)
      return 2
    }
    const text = await readFile(file, 'utf8')
    const result = await importItems(deps, systemActor(), agency.id, readImportFile(text, file))
    out.log(
      `已导入 ${result.imported} 条信息到 ${agency.name}（保留原发布日期和索引号，标记为导入），其中 ${result.published} 条已公开`,
    )
    for (const f of result.findings)
      out.log(
        `  第 ${f.line} 行“${f.title}”保密审查发现：${f.findings.join('、')}（${f.quarantined ? '含密级标志，已隔离，报公开办负责人处理' : '未公开，待保密审查人员解除后发布'}）`,
      )
    return 0
  })
}

async function reportCommand(args: string[], out: Out): Promise<number> {
  const [sub, ...rest] = args
  if (sub === 'import') return reportImport(rest, out)
  if (sub === 'check') return reportCheck(rest, out)
  if (sub === 'compute') return withDeps((deps) => reportCompute(deps, rest, out))
  out.error('用法：gongkai report import|check <文件…|目录>，或 report compute --agency <机关> --year <年份>')
  return 2
}

async function auditCommand(args: string[], out: Out): Promise<number> {
  const [sub, ...rest] = args
  if (sub !== 'verify') {
    out.error('用法：gongkai audit verify [--head <条数>:<哈希>]')
    return 2
  }
  const { values } = parseArgs({ args: rest, options: { head: { type: 'string' } } })
  const expected = values.head ? parseHead(values.head) : undefined
  if (values.head && !expected) {
    out.error('--head 的格式应为 <条数>:<64 位十六进制哈希>')
    return 2
  }
  return withDeps(async (deps) => {
    const report = await verifyAuditChain(deps, expected)
    await recordAudit(deps, systemActor(), {
      action: 'audit.verify',
      objectType: 'audit_log',
      objectId: '',
      result: report.problems.length ? 'failure' : 'success',
      detail: { problems: report.problems.length },
    })
    for (const p of report.problems) out.error(p.message)
    out.log(`审计链头：${formatHead(report.head)}（${report.head.count} 条）`)
    if (report.problems.length) {
      out.error(`审计链校验未通过：发现 ${report.problems.length} 处问题`)
      return 1
    }
    out.log('审计链校验通过')
    return 0
  }, false)
}

async function backupCommand(args: string[], out: Out): Promise<number> {
  const file = args[0]
  if (!file) {
    out.error('用法：gongkai backup <文件>')
    return 2
  }
  return withDeps(async (deps) => {
    const manifest = await createBackup(deps, file)
    await recordAudit(deps, systemActor(), {
      action: 'backup.create',
      objectType: 'backup',
      objectId: file,
      result: 'success',
      detail: { auditHead: manifest.auditHead },
    })
    out.log(
      `备份完成：${file}\n数据库：${manifest.database}；审计链头：${manifest.auditHead}\n备份不含密钥，请另行保管密钥。`,
    )
    return 0
  }, false)
}

async function restoreCommand(args: string[], out: Out): Promise<number> {
  const file = args[0]
  if (!file) {
    out.error('用法：gongkai restore <文件>')
    return 2
  }
  const config = loadConfig()
  const manifest = await restoreBackup(config, config.databaseUrl ? 'postgres' : 'sqlite', file)
  return withDeps(async (deps) => {
    const problems = await checkRestored(deps, manifest)
    await recordAudit(deps, systemActor(), {
      action: 'backup.restore',
      objectType: 'backup',
      objectId: file,
      result: problems.length ? 'failure' : 'success',
      detail: { createdAt: manifest.createdAt },
    })
    for (const p of problems) out.error(p)
    if (problems.length) return 1
    out.log(`恢复完成：数据为 ${manifest.createdAt} 的备份；审计链校验通过（${manifest.auditHead}）`)
    return 0
  }, false)
}

async function applicationsCommand(deps: Deps, args: string[], out: Out): Promise<number> {
  if (args[0] !== 'purge') {
    out.error('用法：gongkai applications purge [--dry-run]')
    return 2
  }
  const dryRun = args.includes('--dry-run')
  const r = await purgeExpiredPersonalData(deps, systemActor(), dryRun)
  out.log(`${dryRun ? '将清除' : '已清除'} ${r.count} 件申请的个人信息（${r.cutoff} 以前办结）`)
  return 0
}

async function demoCommand(args: string[], out: Out): Promise<number> {
  const force = args.includes('--force')
  const serveAfter = args.includes('--serve')
  const config = loadConfig()
  const file = path.join(config.dataDir, sqliteFileName)
  if (!config.databaseUrl && existsSync(file)) {
    if (force) {
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true })
      rmSync(path.join(config.dataDir, filesDirName), { recursive: true, force: true })
    } else if (serveAfter) {
      out.log(`使用 ${config.dataDir} 中已有的数据启动（重建请加 --force）`)
      await serve()
      return 0
    } else {
      out.error(
        `${config.dataDir} 中已有数据库；演示数据只能在空目录中生成。重建请加 --force（将删除该目录中的数据库和上传文件）`,
      )
      return 2
    }
  }
  const code = await withDeps(async (deps) => {
    if (await findRegion(deps.db)) {
      out.error('数据库中已有数据；演示数据只能在空数据库中生成')
      return 2
    }
    out.log('正在生成演示数据……')
    const result = await createDemo(deps)
    const busy = `${busyAgency}（${result.busyYear} 年 ${result.busyIntended.length} 件申请）`
    out.log(`演示区域：重庆市垫江县；${justiceBureau}（2020 年 296 条信息及第二十条记录）；${busy}`)
    out.log(`演示账号（密码均为 ${demoPassword}；管理员首次登录须绑定动态验证码）：`)
    for (const a of result.accounts) out.log(`  ${a.username.padEnd(18)} ${a.role.padEnd(14)} ${a.agency}`)
    return 0
  })
  if (code !== 0 || !serveAfter) return code
  await serve()
  return 0
}

/** `report compute`: the agency's report of a year computed from its records, as interchange JSON. */
async function reportCompute(deps: Deps, args: string[], out: Out): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { agency: { type: 'string' }, year: { type: 'string' } },
    allowPositionals: false,
    strict: false,
  })
  const year = Number(values.year)
  if (typeof values.agency !== 'string' || !Number.isInteger(year) || year < 2008 || year > 2100) {
    out.error('用法：gongkai report compute --agency <机关名称、ID或统一社会信用代码> --year <年份>')
    return 2
  }
  const key = values.agency
  const agency = (await listAgencies(deps.db)).find(
    (a) => a.name === key || String(a.id) === key || a.creditCode === key.toUpperCase(),
  )
  if (!agency) {
    out.error(`找不到机关：${key}`)
    return 2
  }
  const { report } = computeReport(await recordsOf(deps, agency.id, year), {
    year,
    agency: agency.name,
    format: formatForYear(year),
    appealsScope: await appealsScopeOf(deps.db),
  })
  out.log(JSON.stringify(report, null, 2))
  return 0
}
