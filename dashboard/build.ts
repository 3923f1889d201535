// Builds the dashboard page into dist/dashboard/static: the TypeScript under
// dashboard/ui bundled with cytoscape.js into one app.js (esbuild), plus the
// HTML and CSS. Run by `make build` after tsc; nothing is fetched at run time.

import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

// dist/dashboard/build.js -> repository root
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ui = join(root, 'dashboard', 'ui');
const out = join(root, 'dist', 'dashboard', 'static');
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [join(ui, 'main.ts')],
  bundle: true,
  format: 'esm',
  target: ['chrome120', 'firefox120', 'safari17'],
  minify: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  outfile: join(out, 'app.js'),
  logLevel: 'warning',
});
for (const f of ['index.html', 'app.css', 'favicon.svg']) copyFileSync(join(ui, f), join(out, f));
process.stdout.write(`dashboard page built into ${out}\n`);
