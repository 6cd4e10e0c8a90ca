import { AppError } from '../errors.ts'

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
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    out.log(help)
    return 0
  }
  // Each command loads the modules it uses when it runs, so that none pays for the others (issue #15).
  try {
    await import('../validation-messages.ts')
    switch (command) {
      case 'serve':
        await (await import('../main.ts')).serve()
        return 0
      case 'migrate': {
        const { withDeps } = await import('./with-deps.ts')
        const { migrateToLatest } = await import('../storage/migrate.ts')
        return await withDeps(async (deps) => {
          const applied = await migrateToLatest(deps.db, deps.kind, deps.keys)
          out.log(applied.length ? `已执行迁移：${applied.join('、')}` : '数据库结构已是最新')
          return 0
        }, false)
      }
      case 'user':
        return await (await import('./user-command.ts')).userCommand(rest, out)
      case 'audit':
        return await (await import('./audit-command.ts')).auditCommand(rest, out)
      case 'report':
        return await reportCommand(rest, out)
      case 'scan':
        return await (await import('./scan-command.ts')).scanCommand(rest, out)
      case 'demo':
        return await (await import('./demo-command.ts')).demoCommand(rest, out)
      case 'applications': {
        const { applicationsCommand } = await import('./applications-command.ts')
        return await (await import('./with-deps.ts')).withDeps((deps) => applicationsCommand(deps, rest, out))
      }
      case 'calendar': {
        const { calendarCommand } = await import('./calendar-command.ts')
        return await (await import('./with-deps.ts')).withDeps((deps) => calendarCommand(deps, rest, out))
      }
      case 'clock': {
        const { clockCommand } = await import('./clock-command.ts')
        return await (await import('./with-deps.ts')).withDeps((deps) => clockCommand(deps, rest, out))
      }
      case 'items':
        return await (await import('./items-command.ts')).itemsCommand(rest, out)
      case 'search':
        if (rest[0] !== 'rebuild') {
          out.error('用法：gongkai search rebuild')
          return 2
        }
        return await (
          await import('./with-deps.ts')
        ).withDeps(async (deps) => {
          const { rebuildRanking } = await import('../search/ranking.ts')
          const docs = await deps.db.transaction().execute((trx) => rebuildRanking(trx, deps.kind))
          out.log(`已重建相关度排序表：${docs} 个检索文档`)
          return 0
        })
      case 'backup':
        return await (await import('./backup-commands.ts')).backupCommand(rest, out)
      case 'restore':
        return await (await import('./backup-commands.ts')).restoreCommand(rest, out)
      default:
        out.error(`未知命令：${command}\n\n${help}`)
        return 2
    }
  } catch (e) {
    out.error(e instanceof AppError || e instanceof Error ? `错误：${e.message}` : `错误：${String(e)}`)
    return 1
  }
}

async function reportCommand(args: string[], out: Out): Promise<number> {
  const [sub, ...rest] = args
  if (sub === 'import') return (await import('./report-commands.ts')).reportImport(rest, out)
  if (sub === 'check') return (await import('./report-commands.ts')).reportCheck(rest, out)
  if (sub === 'compute') {
    const { reportCompute } = await import('./report-compute-command.ts')
    return (await import('./with-deps.ts')).withDeps((deps) => reportCompute(deps, rest, out))
  }
  out.error('用法：gongkai report import|check <文件…|目录>，或 report compute --agency <机关> --year <年份>')
  return 2
}
