/** The smallest TypeScript entry point: what `node --import tsx` costs before any of our code runs. */
process.stdout.write('ready\n');
