import { z } from 'zod';
import { nameOption } from '../src/core/command.js';
import { salesCommand } from '../src/sales/command.js';

export const partners = salesCommand({
  name: 'partners',
  description: 'Brand partners of a company or alliance, who makes a brand, or whether a company belongs to an alliance',
  options: z.object({
    name: nameOption('Company, alliance or brand, e.g. huawei or aito', '<company|alliance|brand>'),
  }),
  examples: ['huawei', 'aito', 'seres'],
  serves: ['partners'],
  fallback: 'partners',
  names: 1,
});
