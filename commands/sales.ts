import { z } from 'zod';
import { monthOption, nameOption } from '../src/core/command.js';
import { salesCommand } from '../src/sales/command.js';

export const sales = salesCommand({
  name: 'sales',
  description: 'Monthly vehicle sales of a company, alliance or brand: a month, every month, a change or a total',
  options: z.object({
    company: nameOption('Company, alliance or brand, e.g. xiaomi', '<company|alliance|brand>'),
    month: monthOption('Month, e.g. april or 2025-04'),
  }),
  examples: ['xiaomi april', 'huawei', 'hima may 2025', 'xiaomi april may', 'hima total'],
  serves: ['figure', 'series', 'change', 'total', 'sources'],
  fallback: 'series',
  names: 1,
});
