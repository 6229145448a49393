import { join } from 'node:path';
import { existsSync } from 'node:fs';

/** Rank tables are built into dist/ by `npm run build` (npm test builds first). */
export const TABLE_DIR = join(__dirname, '../../dist/tokenizers');
if (!existsSync(join(TABLE_DIR, 'o200k_base.bin'))) {
  throw new Error(`rank tables missing in ${TABLE_DIR}: run "npm run build" first`);
}
