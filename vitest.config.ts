import { defineConfig } from 'vitest/config';
import SummaryReporter from './test/support/summary-reporter.js';

/**
 * Three tiers, all run by `npm test`; one alone with `npx vitest run --project unit` (or e2e, soak).
 * A test file is a unit test unless it is listed below.
 */
/** Run the bot, a CLI, a script, PostgreSQL or the build as a child process, or the whole request path (test/e2e). */
const E2E = [
  'test/cli/**/*.test.ts',
  'test/e2e/**/*.test.ts',
  'test/ops/process.test.ts',
  'test/schedule/e2e.test.ts',
  'test/schedule/scheduler.test.ts',
  'test/schedule/state.test.ts',
  'test/shared/**/*.test.ts',
  'test/adapters/slack/ports.test.ts',
  'test/adapters/slack/manifest.test.ts',
  'test/adapters/discord/deploy.test.ts',
];
/** Volume and endurance: 20,000 Slack commands with a heap check; reloads of 100,000 figures under questions. */
const SOAK = ['test/e2e/soak.test.ts', 'test/ops/reload.test.ts'];

export default defineConfig({
  test: {
    // Many test files spend their time waiting on child processes, sockets and PostgreSQL, not on the CPU: one worker
    // more than the cores keeps them busy (on 2 cores: 4 minutes in place of 5.5).
    maxWorkers: '150%',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    reporters: ['default', new SummaryReporter()],
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [...E2E, ...SOAK] } },
      { extends: true, test: { name: 'e2e', include: E2E, exclude: SOAK } },
      { extends: true, test: { name: 'soak', include: SOAK } },
    ],
  },
});
