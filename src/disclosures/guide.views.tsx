import { PortalLayout } from '../web/layout.tsx'
import type { PageContext } from '../web/layout.tsx'
import type { Guide } from './guide.ts'
import type { PublicGuide } from './settings.service.ts'

// The portal's 政府信息公开指南 (条例 art. 12): what an agency discloses and where, how to apply
// (online, by post, in person, with its address and hours), what it may cost (国办函〔2020〕109号),
// the time limits (条例 arts. 30, 31, 33), 监督和救济 (条例 art. 51; 行政复议法 2023 arts. 20, 23, 24)
// and whom to contact. The legal parts are shared with the region's 依申请公开 page.

/** 行政复议法 art. 24: a county-level department's (or a township's) 复议机关 is the county government. */
export function reviewBodyOf(guide: Guide | undefined, agencyKind: string, regionName: string | undefined): string {
  if (guide?.reviewBody) return guide.reviewBody
  if (['政府办公室', '政府部门', '乡镇（街道）'].includes(agencyKind) && regionName) return `${regionName}人民政府`
  if (agencyKind === '人民政府') return '上一级人民政府'
  return '依照《中华人民共和国行政复议法》第二十四条确定的行政复议机关'
}

/** 国办函〔2020〕109号 arts. 3–5, and the payment period of its collection procedure. */
export function FeeSummary() {
  return (
    <>
      <p>
        本机关依申请提供政府信息，不收取费用。申请人申请公开政府信息的数量、频次明显超过合理范围的，依照《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）收取信息处理费，按件计收或者按量计收，同一申请只选择其中一种方式：
      </p>
      <table class="fees">
        <caption>信息处理费标准（超额累进）</caption>
        <thead>
          <tr>
            <th scope="col">计收方式</th>
            <th scope="col">免费部分</th>
            <th scope="col">收费标准</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">按件计收</th>
            <td>同一申请人一个自然月内累计申请 10 件以下（含 10 件）</td>
            <td>11—30 件（含）的部分每件 100 元；31 件以上的部分每 10 件为一档，每增加一档，收费标准提高 100 元/件</td>
          </tr>
          <tr>
            <th scope="row">按量计收</th>
            <td>同一申请 30 页以下（含 30 页）</td>
            <td>31—100 页（含）的部分每页 10 元；101—200 页（含）的部分每页 20 元；201 页以上的部分每页 40 元</td>
          </tr>
        </tbody>
      </table>
      <p>
        需要收费的，本机关在答复期限内向申请人发出收费通知，写明收费依据、标准、数额和缴纳方式。申请人应当自收到通知次日起
        20 个工作日内缴纳；逾期未缴纳的，视为放弃申请，本机关不再处理该申请。
      </p>
    </>
  )
}

/** 条例 arts. 30, 31, 33: when an application counts as received, the reply period, extension and 补正. */
export function TimeLimits() {
  return (
    <ul>
      <li>
        收到申请的时间（条例第三十一条）：当面提交的，以提交之日为收到申请之日；以邮寄方式提交的，以本机关签收之日为收到申请之日；通过网络提交的，以双方确认之日为收到申请之日。
      </li>
      <li>能够当场答复的，当场予以答复（条例第三十三条）。</li>
      <li>
        不能当场答复的，自收到申请之日起 20
        个工作日内予以答复；需要延长答复期限的，经政府信息公开工作机构负责人同意并告知申请人，延长的期限最长不超过 20
        个工作日（条例第三十三条）。
      </li>
      <li>
        申请内容不明确的，本机关自收到申请之日起 7
        个工作日内一次性告知申请人作出补正；答复期限自收到补正的申请之日起计算。申请人无正当理由逾期不补正的，视为放弃申请（条例第三十条）。
      </li>
      <li>征求第三方和其他机关意见所需时间，不计算在答复期限内（条例第三十三条）。</li>
    </ul>
  )
}

/** 条例 art. 51; 行政复议法 (2023) arts. 20, 23, 24; 行政诉讼法 arts. 45, 46. */
export function Remedies(props: {
  reviewBody: string
  complaints?: string | undefined
  supervising?: string | undefined
}) {
  return (
    <>
      <p>
        公民、法人或者其他组织认为行政机关在政府信息公开工作中侵犯其合法权益的，可以向上一级行政机关或者政府信息公开工作主管部门
        {props.supervising && `（${props.supervising}）`}
        投诉、举报，也可以依法申请行政复议或者提起行政诉讼（条例第五十一条）。
        {props.complaints && `投诉、举报渠道：${props.complaints}。`}
      </p>
      <p>
        行政复议机关：<strong>{props.reviewBody}</strong>。
      </p>
      <p>
        <strong>对不予公开决定不服的，应当先申请行政复议</strong>
        ，对行政复议决定不服的，可以自收到复议决定书之日起 15
        日内依法提起行政诉讼（《中华人民共和国行政复议法》第二十三条，《中华人民共和国行政诉讼法》第四十五条）。
      </p>
      <p>
        对其他答复不服的，可以自知道之日起 60 日内申请行政复议（行政复议法第二十条），或者自知道之日起 6
        个月内直接提起行政诉讼（行政诉讼法第四十六条）。
      </p>
    </>
  )
}

function Contact(props: { guide: Guide | undefined }) {
  const g = props.guide
  if (!g) return <p>本机关尚未填写政府信息公开工作机构的联系方式。</p>
  return (
    <dl class="facts">
      <dt>机构名称</dt>
      <dd>{g.officeName}</dd>
      <dt>办公地址</dt>
      <dd>
        {g.address}
        {g.postcode && `（邮编 ${g.postcode}）`}
      </dd>
      <dt>办公时间</dt>
      <dd>{g.hours}</dd>
      <dt>联系电话</dt>
      <dd>{g.phone}</dd>
      {g.fax && (
        <>
          <dt>传真</dt>
          <dd>{g.fax}</dd>
        </>
      )}
      {g.email && (
        <>
          <dt>电子邮箱</dt>
          <dd>{g.email}</dd>
        </>
      )}
    </dl>
  )
}

/** The portal's 政府信息公开指南 of an agency, generated from its settings and its top columns. */
export function PublicGuidePage(props: PublicGuide & { ctx: PageContext }) {
  const g = props.guide
  const reviewBody = reviewBodyOf(g, props.agencyKind, props.ctx.regionName)
  return (
    <PortalLayout ctx={props.ctx} title={`${props.agencyName}政府信息公开指南`}>
      <h1>{props.agencyName}政府信息公开指南</h1>
      <p>为了更好地提供政府信息公开服务，依据《中华人民共和国政府信息公开条例》（以下简称《条例》），编制本指南。</p>
      <h2>一、主动公开</h2>
      <p>
        本机关主动公开的政府信息通过本网站发布，分为以下栏目：{props.topColumns.map((c) => c.name).join('、')}
        。主动公开的政府信息自形成或者变更之日起 20 个工作日内予以公开（条例第二十六条）。
      </p>
      <h2>二、依申请公开</h2>
      <p>
        公民、法人或者其他组织可以向本机关申请获取相关政府信息。申请应当包括申请人的姓名或者名称、身份证明、联系方式，申请公开的政府信息的名称、文号或者便于查询的其他特征性描述，以及申请公开的政府信息的形式要求（条例第二十九条）。
      </p>
      <h3>（一）申请渠道</h3>
      <ul>
        <li>
          在线申请：通过本网站<a href={`/agencies/${props.agencyId}/apply`}>政府信息公开申请表</a>
          提交，提交后凭申请编号和查询码<a href="/track">查询办理进度</a>。
        </li>
        <li>
          信函申请：
          {g
            ? `填写申请后邮寄至${g.address}${g.postcode ? `（邮编 ${g.postcode}）` : ''}，${g.officeName}收，`
            : '邮寄至本机关政府信息公开工作机构，'}
          请在信封左下角注明“政府信息公开申请”字样。
        </li>
        <li>
          当面申请：
          {g ? `工作时间（${g.hours}）到${g.address}${g.officeName}提交。` : '到本机关政府信息公开工作机构提交。'}
          申请人书写确有困难的，可以口头提出，由受理工作人员代为填写（条例第二十九条）。
        </li>
      </ul>
      <h3>（二）办理时限</h3>
      <TimeLimits />
      <h3>（三）收费</h3>
      <FeeSummary />
      <h2>三、监督和救济</h2>
      <Remedies reviewBody={reviewBody} complaints={g?.complaints} supervising={props.supervisingName} />
      <h2>四、政府信息公开工作机构</h2>
      <Contact guide={g} />
      {g?.notes && (
        <>
          <h2>五、其他说明</h2>
          {g.notes
            .split('\n')
            .filter(Boolean)
            .map((p) => (
              <p>{p}</p>
            ))}
        </>
      )}
    </PortalLayout>
  )
}
