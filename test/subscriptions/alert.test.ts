/** Alerts are decided on the figure's interval: proven, disproven, or said to be undecidable. */
import { beforeAll, describe, expect, it } from 'vitest';
import { DatasetIndex } from '../../src/data/index.js';
import type { Sale } from '../../src/data/schema.js';
import { evaluateAlert, parseCondition, splitCondition } from '../../src/subscriptions/alert.js';
import type { Condition } from '../../src/subscriptions/schema.js';
import { BUNDLED_DATA } from '../support/data-dir.js';

let base: DatasetIndex;
beforeAll(async () => {
  base = await DatasetIndex.load(BUNDLED_DATA);
});

/** The bundled data (Xiaomi April 28,585 exact, May "over 28,000"; HIMA 27,555 and 44,454) plus June figures. */
function withJune(...june: Omit<Sale, 'month' | 'sources'>[]): DatasetIndex {
  return new DatasetIndex({ ...base.data, sales: [...base.data.sales, ...june.map((s) => ({ ...s, month: '2025-06', sources: ['cpca'] }))] });
}

const units = (direction: 'below' | 'above', n: number): Condition => ({ measure: 'units', direction, units: n });
const change = (direction: 'below' | 'above', percent: number): Condition => ({ measure: 'change', direction, percent });

describe('units alerts', () => {
  it('a lower bound proves "above" only when the bound exceeds the threshold, and never proves "below"', () => {
    // May 2025: Xiaomi "over 28,000".
    expect(evaluateAlert(base, 'xiaomi', '2025-05', units('above', 25_000)).kind).toBe('proven');
    expect(evaluateAlert(base, 'xiaomi', '2025-05', units('above', 28_000)).kind).toBe('undecidable');
    const above = evaluateAlert(base, 'xiaomi', '2025-05', units('above', 30_000));
    expect(above.kind).toBe('undecidable');
    expect(above.kind === 'undecidable' && above.why).toBe("Xiaomi's May 2025 figure is over 28,000 (a lower bound), so whether it is above 30,000 units cannot be decided.");
    expect(evaluateAlert(base, 'xiaomi', '2025-05', units('below', 30_000)).kind).toBe('undecidable');
    expect(evaluateAlert(base, 'xiaomi', '2025-05', units('below', 1_000_000)).kind).toBe('undecidable');
    expect(evaluateAlert(base, 'xiaomi', '2025-05', units('below', 20_000)).kind).toBe('disproven');
  });

  it('an exact figure decides both ways, with the threshold itself neither below nor above', () => {
    const below = evaluateAlert(base, 'hima', '2025-05', units('below', 50_000));
    expect(below).toMatchObject({ kind: 'proven', detail: 'HIMA sold 44,454 in May 2025: below 50,000 units.' });
    expect(evaluateAlert(base, 'hima', '2025-05', units('above', 50_000)).kind).toBe('disproven');
    expect(evaluateAlert(base, 'hima', '2025-05', units('above', 44_454)).kind).toBe('disproven');
    expect(evaluateAlert(base, 'hima', '2025-05', units('below', 44_454)).kind).toBe('disproven');
    expect(evaluateAlert(base, 'hima', '2025-05', units('above', 44_453)).kind).toBe('proven');
  });

  it('an approximate figure decides only outside its margin (±5% when the source gives none), and a range only outside it', () => {
    const data = withJune(
      { seller: 'xiaomi', units: 25_000, qualifier: 'approximate', margin: 1_000 },
      { seller: 'hima', units: 40_000, qualifier: 'approximate' },
    );
    expect(evaluateAlert(data, 'xiaomi', '2025-06', units('above', 23_999)).kind).toBe('proven');
    expect(evaluateAlert(data, 'xiaomi', '2025-06', units('above', 24_500)).kind).toBe('undecidable');
    expect(evaluateAlert(data, 'xiaomi', '2025-06', units('below', 26_001)).kind).toBe('proven');
    expect(evaluateAlert(data, 'xiaomi', '2025-06', units('below', 25_500)).kind).toBe('undecidable');
    // No stated margin: 40,000 is read as 38,000 to 42,000.
    expect(evaluateAlert(data, 'hima', '2025-06', units('above', 39_000)).kind).toBe('undecidable');
    expect(evaluateAlert(data, 'hima', '2025-06', units('above', 37_000)).kind).toBe('proven');
    const ranged = withJune({ seller: 'xiaomi', units: 28_000, qualifier: 'at_least', upTo: 30_000 });
    expect(evaluateAlert(ranged, 'xiaomi', '2025-06', units('below', 30_001)).kind).toBe('proven');
    expect(evaluateAlert(ranged, 'xiaomi', '2025-06', units('below', 29_000)).kind).toBe('undecidable');
    expect(evaluateAlert(ranged, 'xiaomi', '2025-06', units('above', 27_000)).kind).toBe('proven');
  });
});

describe('change alerts', () => {
  it('decides the change against the month before as an interval', () => {
    // HIMA: 27,555 → 44,454 is +61.3%.
    expect(evaluateAlert(base, 'hima', '2025-05', change('above', 10))).toMatchObject({ kind: 'proven', figure: 'a change of +61.3%' });
    expect(evaluateAlert(base, 'hima', '2025-05', change('above', 70)).kind).toBe('disproven');
    expect(evaluateAlert(base, 'hima', '2025-05', change('below', -5)).kind).toBe('disproven');
    // Xiaomi: 28,585 → "over 28,000" is at least −2.0%: "above −5%" is proven, "above +10%" and "below 0%" cannot be decided.
    expect(evaluateAlert(base, 'xiaomi', '2025-05', change('above', -5)).kind).toBe('proven');
    expect(evaluateAlert(base, 'xiaomi', '2025-05', change('above', 10)).kind).toBe('undecidable');
    expect(evaluateAlert(base, 'xiaomi', '2025-05', change('below', 0)).kind).toBe('undecidable');
  });

  it('says it cannot work a change out without the month before', () => {
    const verdict = evaluateAlert(base, 'hima', '2025-04', change('above', 10));
    expect(verdict).toMatchObject({ kind: 'undecidable', why: 'HIMA has no figure for March 2025, so the change in April 2025 cannot be worked out.' });
  });
});

describe('parseCondition', () => {
  it('reads units and percentages in the forms people type', () => {
    expect(parseCondition('below 30000')).toEqual(units('below', 30_000));
    expect(parseCondition('above 30,000')).toEqual(units('above', 30_000));
    expect(parseCondition('over 28 000')).toEqual(units('above', 28_000));
    expect(parseCondition('change above 10%')).toEqual(change('above', 10));
    expect(parseCondition('change below -5.5 %')).toEqual(change('below', -5.5));
    expect(parseCondition('Change Below −5%')).toEqual(change('below', -5));
  });

  it('reads the other ways people write a direction: less/more than, < and >, with a verb', () => {
    expect(parseCondition('less than 25 000')).toEqual(units('below', 25_000));
    expect(parseCondition('drops below 30,000')).toEqual(units('below', 30_000));
    expect(parseCondition('<30000')).toEqual(units('below', 30_000));
    expect(parseCondition('more than 25000')).toEqual(units('above', 25_000));
    expect(parseCondition('exceeds 30000')).toEqual(units('above', 30_000));
    expect(parseCondition('change > 5%')).toEqual(change('above', 5));
    expect(splitCondition('hima falls under 40000')).toEqual({ seller: 'hima', condition: 'falls under 40000' });
    expect(splitCondition('xiaomi between 1 and 2')).toBeUndefined();
  });

  it('says what is wrong with a condition it cannot read', () => {
    expect(parseCondition('above 10%')).toEqual({ problem: 'A percentage is a change: write "change above 10%", or give units ("above 30000").' });
    expect(parseCondition('change above 10')).toEqual({ problem: 'A change is a percentage: e.g. "change above 10%".' });
    expect(parseCondition('below 28k')).toHaveProperty('problem');
    expect(parseCondition('below 1.5')).toEqual({ problem: 'Units are a whole number of vehicles, e.g. 30000 (not "1.5").' });
    expect(parseCondition('between 1 and 2')).toHaveProperty('problem');
  });
});
