/**
 * The folder Parley is installed in (the one with its package.json): where dist/ (the widget
 * bundle) and demo/site/ live. Found by walking up from this file, because the same code runs
 * from the sources (server/) and compiled (build/server/, also inside node_modules/parley/).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function packageRoot(from: string = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`Parley: no package.json above ${from}`);
  }
}
