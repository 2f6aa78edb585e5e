/**
 * The small vocabulary of question words: which intent a word points to, and which words carry no
 * meaning here. Names of companies, brands and people are never listed: they come from the dataset.
 */

/** What a word points to: a kind of answer (sales, partners…) or a finer cue (a total, a change, a ticker…). */
export const INTENTS = [
  'sales', 'compare', 'partners', 'company', 'timeline', 'digest', 'help',
  'trend', 'change', 'total', 'first', 'lead', 'overtake', 'month', 'gap', 'leader', 'ticker', 'ownership', 'member', 'source', 'best',
  'challenge', 'logo',
] as const;
export type Intent = (typeof INTENTS)[number];
/** Words that are not a question but still deserve a reply. */
export type Social = 'greeting' | 'thanks';

export type Meaning = { intent: Intent; weight: number } | { social: Social } | { stop: true };

const words = (list: string) => list.trim().split(/\s*\|\s*/);

/** Weighted intent words; phrases are matched whole ("how many", "tell me about"), longest first. */
const INTENT_WORDS: Partial<Record<Intent, Record<number, string>>> = {
  sales: {
    2: `sell | sells | sold | selling | sale | sales | deliver | delivers | delivered | delivering | delivery | deliveries
      | shipped | shipments | registrations | how many | 卖 | 卖出 | 售出 | 销量 | 销售 | 交付 | 多少 | 几辆 | 成绩`,
    1: 'units | unit | cars | car | vehicles | vehicle | figures | figure | numbers | volume | evs | seller | sellers | 辆 | 车 | 汽车',
  },
  compare: {
    2: `more | most | vs | versus | compare | compared | comparison | against | led | lead | leads | leading | leader
      | top | won | win | wins | winner | beat | beats | outsold | outsell | outsells | ahead | bigger | better | higher
      | best | than | 更多 | 最多 | 多 | 领先 | 对比 | 比较 | 相比 | 第一 | 冠军 | 超过 | 超越 | 赢`,
    1: 'who | which | difference | gap | margin | 谁 | 哪个 | 哪家 | 还是',
  },
  partners: {
    2: `make | makes | made | maker | makers | manufacture | manufactures | manufactured | manufacturer | manufacturers
      | build | builds | built | produce | produces | produced | producer | partner | partners | partnered | partnership
      | partnerships | brand | brands | alliance | alliances | member | members | owns | owned | ally | allies
      | relationship | relationships | partnering | partnered with | working with | works with | teamed up | 造 | 是哪家 | 关系 | 谁造 | 制造 | 生产 | 合作 | 伙伴 | 合作伙伴 | 品牌 | 联盟 | 厂商 | 厂家 | 出品`,
    1: 'model | models | 车型',
  },
  company: {
    2: `what is | what s | what are | who is | who s | who are | tell me about | 是哪家公司 | 哪家公司 | about | info | information | profile
      | explain | describe | introduce | 是什么 | 什么是 | 谁是 | 介绍 | 简介 | 资料 | 是做什么`,
    1: 'know | 了解',
  },
  timeline: {
    2: `when | happened | happen | happens | happening | news | event | events | timeline | history | say | said | says
      | saying | speak | spoke | speech | 是什么时候 | announce | announced | announces | announcement | launch | launched | launches
      | release | released | unveil | unveiled | debut | debuted | founded | 什么时候 | 何时 | 哪年 | 发生 | 发布 | 说 | 讲
      | 表示 | 时间 | 事件 | 新闻 | 上市 | 推出 | 动态 | 历史 | 消息`,
  },
  digest: {
    2: `digest | summary | summarize | summarise | recap | overview | ranking | rankings | rank | ranked
      | standings | leaderboard | market | 总结 | 概况 | 排行 | 排名 | 汇总 | 月报 | 榜`,
  },
  help: {
    3: `help | commands | command | usage | what can you do | what can i ask | how do i use | how does this work
      | 帮助 | 命令 | 怎么用 | 你能做什么 | 能做什么`,
  },
  trend: {
    2: `trend | trends | trending | over time | each month | every month | month by month | monthly | history | series
      | trajectory | so far | 走势 | 趋势 | 每月 | 每个月 | 历月`,
  },
  change: {
    2: `grow | grew | grown | growth | growing | change | changed | changes | increase | increased | increases | decrease
      | decreased | rise | rose | risen | drop | dropped | fell | fall | decline | declined | jump | jumped | up or down
      | mom | month over month | month on month | 增长 | 增幅 | 变化 | 涨 | 跌 | 下降 | 上升 | 环比 | 增加 | 减少`,
  },
  total: {
    2: `total | totals | in total | combined | together | overall | altogether | all together | sum | cumulative | cumulatively
      | so far in total | 总共 | 一共 | 合计 | 累计 | 总计 | 总销量 | 加起来`,
  },
  first: {
    2: 'first | first time | for the first time | ever | 首次 | 第一次 | 头一次',
  },
  lead: {
    2: `lose the lead | lost the lead | lose | lost | losing | lead change | lead changes | lead changed | change hands
      | changed hands | been behind | ever behind | fall behind | fell behind | fallen behind | swap places
      | swapped places | 失去 | 丢掉 | 易主`,
  },
  month: {
    2: 'which month | what month | which months | in which month | 哪个月 | 哪月 | 几月份',
  },
  overtake: {
    2: `take the lead | took the lead | taken the lead | taking the lead | lead from | reclaim | reclaimed | regain
      | regained | retake | retook | take back | took back | overtake | overtook | overtaken | 夺回 | 反超`,
  },
  gap: {
    2: `gap | how close | close | closer | difference | margin | distance | behind | trail | trails | trailing | by how much
      | how far | 差距 | 差多少 | 相差 | 差了`,
  },
  leader: {
    2: `winning | winner | biggest | largest | number one | no 1 | no. 1 | #1 | top spot | top seller | leads | leader
      | leading | dominant | dominate | dominates | ahead | who sold more | 最大 | 第一 | 冠军 | 领先 | 领头`,
  },
  ticker: {
    3: `ticker | tickers | stock code | stock symbol | stock | symbol | listed | listing | share code | exchange | 股票代码
      | 股票 | 代码 | 股票代号 | 上市`,
  },
  ownership: {
    3: `state owned | state-owned | government owned | owned by the state | soe | public company | private | privately
      | 国企 | 国有 | 央企`,
  },
  member: {
    3: 'part of | member of | belong to | belongs to | in the alliance | a member | 属于 | 成员 | 加入',
  },
  source: {
    3: `source | sources | where does | come from | comes from | came from | according to | who reported | who says
      | reported | report | reports | cite | cited | citation | 来源 | 出处 | 数据来源 | 谁说 | 哪来 | 从哪来 | 哪里来 | 报告
      | 报道 | 公布`,
  },
  best: {
    3: `sells best | sold best | best selling | best-selling | bestseller | best seller | most popular | top brand
      | strongest brand | 卖得最好 | 最畅销 | 销量最好`,
  },
  challenge: {
    3: `challenge | challenges | challenged | problem | problems | struggle | struggles | struggling | weakness
      | weaknesses | risk | risks | difficulty | difficulties | issues | trouble | falter | faltering | 挑战 | 问题 | 困难
      | 困境 | 风险`,
  },
  logo: {
    3: 'logo | logos | badge | badging | emblem | branding on | 标志 | 标识 | 车标',
  },
};

const SOCIAL_WORDS: Record<Social, string> = {
  greeting: `hi | hello | hey | hiya | howdy | yo | greetings | good morning | good afternoon | good evening | morning
    | sup | what s up | 你好 | 您好 | 嗨 | 哈喽 | 早上好 | 晚上好 | 在吗`,
  thanks: 'thanks | thank you | thank | thx | ty | cheers | 谢谢 | 多谢 | 感谢',
};

/**
 * Words that never name anything here. Besides function words, this holds ordinary words that sit one
 * typo from a name in the data ("auto" ~ Aito, "series" ~ Seres, "back" ~ BAIC), so they are never guessed into one.
 */
const STOP_WORDS = `a | an | the | is | are | was | were | be | been | being | am | do | does | did | done | doing | have | has
  | had | i | me | my | mine | we | us | our | you | your | he | him | his | she | her | it | its | they | them | their
  | this | that | these | those | there | here | what | whom | whose | how | why | where | whether | in | on | at | of
  | for | to | from | by | with | and | or | but | if | so | then | as | into | onto | over | under | per | each
  | every | all | any | some | much | many | also | just | only | please | pls | plz | can | could | would | should
  | will | shall | may | might | must | let | lets | tell | show | give | get | got | find | look | see | want | need
  | like | s | t | d | ll | re | ve | m | ok | okay | um | uh | hmm | well | really | exactly | roughly
  | around | approximately | month | months | monthly | year | years | week
  | weeks | day | days | today | yesterday | now | time | again | back | auto | autos | automotive | series | jack
  | china | chinese | company | companies | firm | group | corp | inc | ltd | automaker | automakers | carmaker
  | carmakers | electric | nev | nevs | data | bot | guys | team | everyone | anyone | someone | somebody | people
  | thing | things | lot | lots | amount | quick | quickly | question | answer | sure | wonder | wondering | curious
  | mean | think | other | another | same | different | between | both | either | neither | not | no | yes
  | hear | heard | check | number | kind | sort | way | out | up | down | off | still | yet | even | very
  | too | bit | little | guess | maybe | perhaps | actually | currently | period | go | went | going
  | bro | mate | dear | sir | folks | lol | haha | hahaha | btw | fyi | asap | via | across
  | among | during | before | after | since | until | while | within | without | through | etc | share | growth
  | rose
  | percent | percentage | rate | result | results
  | performance | perform | performed | performing | stats | statistics | basic | serves | doing | did | ev | evs
  | market | segment | industry | sector | space | vs. | q | unit | units | volume | volumes | how | much | far
  | one | ones | lot | table | list | chart | graph | breakdown | please | thanks | figure | figures | numbers
  | number | stat | so | than | which | what | who | when | where | yes | no | true | false | right | correct
  | according | report | latest | newest | recent | compared | relative | versus | percentage | pct | yoy
  | rank | position | place | spot | standing | overall | brand | brands | model | models | sold | vehicles
  | 的 | 了 | 吗 | 呢 | 啊 | 吧 | 呀 | 哦 | 嗯 | 是 | 在 | 有 | 和 | 跟 | 与 | 及 | 或 | 个 | 得 | 地 | 都 | 也 | 就
  | 还 | 被 | 把 | 给 | 让 | 从 | 到 | 对 | 向 | 这 | 那 | 我 | 你 | 您 | 他 | 她 | 它 | 们 | 请 | 请问 | 一下 | 告诉
  | 告诉我 | 知道 | 我想 | 想知道 | 什么 | 怎么 | 怎么样 | 如何 | 哪些 | 有哪些 | 公司 | 中国 | 国内 | 电动 | 新能源
  | 大概 | 大约 | 一些 | 几 | 份 | 年 | 月 | 家 | 么 | 过 | 着 | 又 | 最 | 能 | 时候 | 面临 | 面对 | 遇到
  | 怎样 | 情况 | 现在 | 目前 | 去年 | 表现 | 为什么 | 为何 | 原因 | 可以 | 应该 | 需要 | 关于 | 相关 | 数据 | 信息 | 今天
  | 昨天 | 市场 | 行业 | 电车 | 车企 | 集团 | 企业 | 领域 | 方面 | 结果 | 总体 | 整体 | 是否 | 有没有 | 是不是 | 能不能
  | 会不会 | 多大 | 一点 | 一样 | 非常 | 没有 | 卖得 | 做得 | 现状 | 全部 | 所有 | 每个 | 这些 | 那些 | 已经 | 曾经
  | 还有 | 以及 | 同比 | 这个 | 那个`;

/** Every phrase with its meaning; the caller tokenises phrases the same way it tokenises questions. */
export function vocabulary(): [string, Meaning][] {
  const out: [string, Meaning][] = [];
  for (const intent of INTENTS) {
    for (const [weight, list] of Object.entries(INTENT_WORDS[intent] ?? {})) {
      for (const w of words(list)) out.push([w, { intent, weight: Number(weight) }]);
    }
  }
  for (const [social, list] of Object.entries(SOCIAL_WORDS) as [Social, string][]) {
    for (const w of words(list)) out.push([w, { social }]);
  }
  for (const w of words(STOP_WORDS)) out.push([w, { stop: true }]);
  return out;
}

/** Single intent words long enough to be recognised with one typo ("slaes" → sales). */
export function typoTolerantWords(): [string, Intent][] {
  return vocabulary().flatMap(([w, m]) => ('intent' in m && /^[a-z]{5,}$/.test(w) ? [[w, m.intent] as [string, Intent]] : []));
}
