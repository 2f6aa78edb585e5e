import { z } from 'zod';
import { nameOption } from '../src/core/command.js';
import { salesCommand } from '../src/sales/command.js';

export const company = salesCommand({
  name: 'company',
  description: 'Profile of a company, alliance, brand, model or person: role, ticker, summary, related brands and events',
  options: z.object({
    name: nameOption('Company, alliance, brand, model, person or ticker, e.g. seres or 601127', '<name|ticker>'),
  }),
  examples: ['seres', 'yinwang', 'hima', '601127'],
  serves: ['profile', 'attribute'],
  fallback: 'profile',
  names: 1,
});
