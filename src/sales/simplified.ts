/**
 * Traditional Chinese read as Simplified ("華為" → "华为", "銷量" → "销量"), as the names and question words are kept
 * in Simplified. opencc-js's dictionaries load on the first text that needs them (about 50 ms), once.
 */
import { createRequire } from 'node:module';
import type { ConverterFunction, ConverterOptions } from 'opencc-js';

let convert: ConverterFunction | undefined;

/** The text with Traditional characters in Simplified; the same string when there is nothing to convert. */
export function toSimplified(text: string): string {
  if (!/\p{Script=Han}/u.test(text)) return text;
  if (!convert) {
    const { Converter } = createRequire(import.meta.url)('opencc-js/t2cn') as { Converter: (options: ConverterOptions) => ConverterFunction };
    convert = Converter({ from: 'hk', to: 'cn' });
  }
  return convert(text);
}
