#!/usr/bin/env node
// The `gongkai` command: runs the TypeScript sources through tsx (Node 20 cannot strip types).
import { register } from 'tsx/esm/api'

register()
const { runCli } = await import('../src/cli/gongkai.ts')
process.exitCode = await runCli(process.argv.slice(2))
