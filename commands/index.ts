/** Every command, in the order help lists them. Adding a file here is all a new command needs. */
import type { AnyCommand } from '../src/core/command.js';
import { company } from './company.js';
import { compare } from './compare.js';
import { digest } from './digest.js';
import { help } from './help.js';
import { partners } from './partners.js';
import { sales } from './sales.js';
import { timeline } from './timeline.js';
import { alert } from './alert.js';
import { subscribe } from './subscribe.js';
import { subscriptions } from './subscriptions.js';
import { unsubscribe } from './unsubscribe.js';

export const commands: readonly AnyCommand[] = [sales, compare, partners, company, timeline, digest, subscribe, alert, subscriptions, unsubscribe, help];
