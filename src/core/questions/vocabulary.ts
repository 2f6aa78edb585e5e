/**
 * The small vocabulary of question words: which intent a word points to, and which words carry no
 * meaning here. Names of companies, brands and people are never listed: they come from the dataset.
 */

export type Intent = 'sales' | 'compare' | 'partners' | 'company' | 'timeline' | 'digest' | 'help';
/** Words that are not a question but still deserve a reply. */
export type Social = 'greeting' | 'thanks';

export const INTENTS: readonly Intent[] = ['sales', 'compare', 'partners', 'company', 'timeline', 'digest', 'help'];

export type Meaning = { intent: Intent; weight: number } | { social: Social } | { stop: true };

const words = (list: string) => list.trim().split(/\s*\|\s*/);

/** Weighted intent words; phrases are matched whole ("how many", "tell me about"), longest first. */
const INTENT_WORDS: Record<Intent, Record<number, string>> = {
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
      | relationship | relationships | 造 | 是哪家 | 关系 | 谁造 | 制造 | 生产 | 合作 | 伙伴 | 合作伙伴 | 品牌 | 联盟 | 厂商 | 厂家 | 出品`,
    1: 'model | models | 车型',
  },
  company: {
    2: `what is | what s | what are | who is | who s | who are | tell me about | about | info | information | profile
      | explain | describe | introduce | 是什么 | 什么是 | 谁是 | 介绍 | 简介 | 资料 | 是做什么`,
    1: 'know | 了解',
  },
  timeline: {
    2: `when | happened | happen | happens | happening | news | event | events | timeline | history | say | said | says
      | saying | speak | spoke | speech | announce | announced | announces | announcement | launch | launched | launches
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
  | around | approximately | total | overall | together | combined | month | months | monthly | year | years | week
  | weeks | day | days | today | yesterday | now | time | again | back | auto | autos | automotive | series | jack
  | china | chinese | company | companies | firm | group | corp | inc | ltd | automaker | automakers | carmaker
  | carmakers | electric | nev | nevs | data | bot | guys | team | everyone | anyone | someone | somebody | people
  | thing | things | lot | lots | amount | quick | quickly | question | answer | sure | wonder | wondering | curious
  | mean | think | other | another | same | different | between | both | either | neither | not | no | yes
  | hear | heard | check | number | kind | sort | way | out | up | down | off | still | yet | ever | even | very
  | too | bit | little | guess | maybe | perhaps | actually | currently | period | go | went | going
  | bro | mate | dear | sir | folks | lol | haha | hahaha | btw | fyi | asap | via | across
  | among | during | before | after | since | until | while | within | without | through | etc | share | growth
  | grow | grew | growing | change | changed | changes | increase | increased | decrease | decreased | rise | rose
  | drop | dropped | fell | fall | trend | trends | percent | percentage | rate | record | records | result | results
  | performance | perform | performed | performing | stats | statistics | basic | serves
  | 的 | 了 | 吗 | 呢 | 啊 | 吧 | 呀 | 哦 | 嗯 | 是 | 在 | 有 | 和 | 跟 | 与 | 及 | 或 | 个 | 得 | 地 | 都 | 也 | 就
  | 还 | 被 | 把 | 给 | 让 | 从 | 到 | 对 | 向 | 这 | 那 | 我 | 你 | 您 | 他 | 她 | 它 | 们 | 请 | 请问 | 一下 | 告诉
  | 告诉我 | 知道 | 我想 | 想知道 | 什么 | 怎么 | 怎么样 | 如何 | 哪些 | 有哪些 | 公司 | 中国 | 国内 | 电动 | 新能源
  | 总共 | 一共 | 大概 | 大约 | 一些 | 几 | 份 | 年 | 月 | 家 | 么 | 过 | 着 | 又 | 最 | 能`;

/** Every phrase with its meaning; the caller tokenises phrases the same way it tokenises questions. */
export function vocabulary(): [string, Meaning][] {
  const out: [string, Meaning][] = [];
  for (const intent of INTENTS) {
    for (const [weight, list] of Object.entries(INTENT_WORDS[intent])) {
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
