import { z } from 'zod';
import { monthOption } from '../src/core/command.js';
import { salesCommand } from '../src/sales/command.js';

export const digest = salesCommand({
  name: 'digest',
  description: "A month's summary for leadership: ranking, month-over-month change, leader, events, sources",
  options: z.object({
    month: monthOption('Month, e.g. may or 2025-05 (default: the newest with data)'),
  }),
  examples: ['', 'may', '2025-04'],
  serves: ['digest', 'leader'],
  fallback: 'digest',
});
