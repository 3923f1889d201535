// `make generate`: writes the JSON Schemas and CRDs from schemas/source/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedFiles } from './generated-files.js';

// dist/schemas/generate.js -> repository root
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
let count = 0;
for (const [path, content] of generatedFiles()) {
  const full = join(root, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, content);
  count++;
}
process.stdout.write(`wrote ${count} files under schemas/json and config/crd\n`);
