/** Every command, in the order help lists them. Adding a file here is all a new command needs. */
import type { AnyCommand } from '../src/core/command.js';
import { company } from './company.js';
import { compare } from './compare.js';
import { digest } from './digest.js';
import { help } from './help.js';
import { partners } from './partners.js';
import { sales } from './sales.js';
import { timeline } from './timeline.js';

export const commands: readonly AnyCommand[] = [sales, compare, partners, company, timeline, digest, help];
