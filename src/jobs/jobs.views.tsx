import { ConsoleLayout } from '../web/layout.tsx'
import type { PageContext } from '../web/layout.tsx'
import type { JobView } from './jobs.ts'

// A job's page refreshes itself every two seconds while it runs (no JavaScript needed); its owner can
// leave and come back from the list of the agency's recent jobs.

const statusLabel = { running: '进行中', done: '已完成', failed: '未完成', interrupted: '已中断' } as const

export function JobsPage(props: { ctx: PageContext; jobs: JobView[] }) {
  const { jobs } = props
  return (
    <ConsoleLayout ctx={props.ctx} title="后台任务" refresh={jobs.some((j) => j.status === 'running') ? 5 : undefined}>
      <h1>后台任务</h1>
      <table>
        <caption>本机关最近的任务</caption>
        <thead>
          <tr>
            <th scope="col">任务</th>
            <th scope="col">状态</th>
            <th scope="col">进度</th>
          </tr>
        </thead>
        <tbody>
          {jobs.map((j) => (
            <tr>
              <td>
                <a href={`/console/jobs/${j.id}`}>{j.label}</a>
              </td>
              <td>{statusLabel[j.status]}</td>
              <td>
                {j.done}/{j.total}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ConsoleLayout>
  )
}

export function JobPage(props: { ctx: PageContext; job: JobView }) {
  const { job } = props
  const running = job.status === 'running'
  return (
    <ConsoleLayout ctx={props.ctx} title={job.label} refresh={running ? 2 : undefined}>
      <h1>{job.label}</h1>
      <p id="job-status">{statusLabel[job.status]}</p>
      <label for="job-progress">
        进度：{job.done}/{job.total}
      </label>
      <progress id="job-progress" max={job.total} value={job.done}>
        {job.done}/{job.total}
      </progress>
      {running && <p class="hint">页面每两秒自动刷新；可以离开本页，稍后在“后台任务”中查看结果。</p>}
      {job.message && (
        <pre class="problems" id="job-message">
          {job.message}
        </pre>
      )}
      {job.file && job.status === 'done' && (
        <p>
          <a href={`/console/jobs/${job.id}/file`}>下载 {job.file}</a>
        </p>
      )}
      <p>
        <a href="/console/jobs">全部后台任务</a>
      </p>
    </ConsoleLayout>
  )
}
