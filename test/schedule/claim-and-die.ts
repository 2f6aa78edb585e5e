/**
 * Test helper run as a child process: claims a digest the way a run does, then dies by SIGKILL before
 * posting or recording anything, leaving the state a crash mid-post leaves. Args: stateDir platform channel month.
 */
import { DigestState } from '../../src/schedule/state.js';

const [stateDir, platform, channel, month] = process.argv.slice(2);
if (!stateDir || (platform !== 'slack' && platform !== 'discord') || !channel || !month) {
  process.stderr.write('usage: claim-and-die.ts <stateDir> <slack|discord> <channel> <YYYY-MM>\n');
  process.exit(64);
}
const claim = await new DigestState(stateDir).claim({ platform, channel, month });
process.stdout.write(`${claim.kind}\n`);
process.kill(process.pid, 'SIGKILL');
