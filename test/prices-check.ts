// npm run prices:check [-- --warn-only] [FILE]: checks the shipped price table (or FILE) as of today; exits 1 on
// failures unless --warn-only. The rules are checkPriceTable's (src/core/prices/check.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkPriceTable } from '../src/core/prices/check';

const args = process.argv.slice(2);
const warnOnly = args.includes('--warn-only');
const file = args.find((a) => !a.startsWith('--')) ?? join(__dirname, '../src/core/prices/default-prices.json');
const result = checkPriceTable(JSON.parse(readFileSync(file, 'utf8')), new Date());
console.log(`prices:check ${file}`);
for (const line of result.lines) console.log(line);
if (result.failures.length && !warnOnly) process.exitCode = 1;
