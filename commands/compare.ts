import { z } from 'zod';
import { monthOption, nameOption } from '../src/core/command.js';
import { salesCommand } from '../src/sales/command.js';

export const compare = salesCommand({
  name: 'compare',
  description: 'Two sellers side by side: who leads a month and by how much, their trend, the first time one beat the other',
  options: z.object({
    first: nameOption('First company, alliance or brand'),
    second: nameOption('Second company, alliance or brand'),
    month: monthOption('Month, e.g. april or 2025-04 (default: the newest both have)'),
  }),
  examples: ['xiaomi huawei april', 'xiaomi vs hima may', 'xiaomi huawei trend'],
  serves: ['compare', 'series', 'first', 'lead_changes'],
  fallback: 'compare',
  names: 2,
});
