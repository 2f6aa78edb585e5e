/** The interpreter's own replies: a greeting's introduction and an honest "not sure". */
import type { DatasetIndex } from '../data/index.js';
import type { AnyCommand } from '../core/command.js';
import { formatMonth } from './months.js';
import { answer, notice, type Reply } from '../core/reply.js';
import type { Intent } from './vocabulary.js';

/** Commands shown as examples when nothing points elsewhere, most asked first. */
const DEFAULT_ORDER: readonly Intent[] = ['sales', 'compare', 'partners', 'company', 'timeline', 'digest'];

/** "/sales xiaomi april": the command's own first example. */
function example(command: AnyCommand): string {
  const args = command.examples.find(Boolean) ?? '';
  return `/${command.name}${args ? ` ${args}` : ''}`;
}

/** Two or three example commands, the ones the question leaned towards first. */
export function closestExamples(commands: readonly AnyCommand[], scores: Partial<Record<Intent, number>> = {}): string[] {
  const order = [...DEFAULT_ORDER].sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0));
  return order.flatMap((name) => commands.filter((c) => c.name === name)).slice(0, 3).map(example);
}

/** Questions worth asking about this dataset, built from its own names. */
function sampleQuestions(data: DatasetIndex): string[] {
  const [a, b] = data.sellers();
  const month = data.months.at(-1);
  const brand = [...data.entities.values()].find((e) => e.kind === 'brand');
  const out: string[] = [];
  if (a && b && month) out.push(`"who sold more in ${formatMonth(month).split(' ')[0]}, ${a.name} or ${b.name}?"`);
  if (brand) out.push(`"who makes ${brand.name}?"`);
  return out;
}

export function introduction(data: DatasetIndex, commands: readonly AnyCommand[], thanked = false): Reply {
  const samples = sampleQuestions(data);
  const title = thanked ? "You're welcome! Ask me anything about EV sales, brand partners and company news" : 'Hi! I answer questions about EV sales, brand partners and company news';
  return answer(title, [{
    type: 'text',
    lines: [
      `Ask in plain words, in English or Chinese${samples.length ? `, e.g. ${samples.join(' or ')}` : ''}.`,
      'Or use a command: /help lists them all.',
    ],
  }], [], [...closestExamples(commands).slice(0, 2), '/help']);
}

export function notSure(data: DatasetIndex, commands: readonly AnyCommand[], scores: Partial<Record<Intent, number>>, extra: string[] = []): Reply {
  const samples = sampleQuestions(data);
  return notice("I'm not sure what you mean", [
    ...extra,
    'I answer questions about monthly sales, rankings, brand partners, companies and events.',
    `${samples.length ? `You can ask e.g. ${samples.join(' or ')}, or use a command` : 'Try a command'}: /help lists them all.`,
  ], closestExamples(commands, scores));
}
