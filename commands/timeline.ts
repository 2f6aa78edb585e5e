import { z } from 'zod';
import { salesCommand } from '../src/sales/command.js';

export const timeline = salesCommand({
  name: 'timeline',
  description: 'Events in date order, filtered by month, year, name or keyword',
  options: z.object({
    filter: z.string().trim().max(200).optional().meta({ description: 'Month (april 2025), year (2024), name (xiaomi) or keyword (launch)', usage: '[month|year|keyword]' }),
  }),
  examples: ['', 'april 2025', 'xiaomi', 'launch'],
  serves: ['events'],
  fallback: 'events',
});
