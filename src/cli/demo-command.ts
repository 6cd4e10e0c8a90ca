import { existsSync, rmSync } from 'node:fs'
import path from 'node:path'
import { findRegion } from '../agencies/agency.store.ts'
import { filesDirName } from '../backup/backup.service.ts'
import { loadConfig } from '../config.ts'
import { busyAgency, createDemo, demoPassword, justiceBureau } from '../demo/demo.ts'
import { serve } from '../main.ts'
import { sqliteFileName } from '../storage/open-database.ts'
import { withDeps } from './with-deps.ts'

// `gongkai demo`: the demonstration region.

type Out = { log: (s: string) => void; error: (s: string) => void }

export async function demoCommand(args: string[], out: Out): Promise<number> {
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
