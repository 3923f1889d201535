// The import direction between the top-level folders (README "Layout"), as an
// ESLint rule: a relative import is resolved against the importing file and the
// top-level folder it lands in must be one the importer's folder may use.
// schemas <- adapters <- (operator | metrics-api | release) <- (conformance | dashboard) <- cli;
// kube/ and log/ are the I/O layer under every program; test/, bench/ and dev/
// are never imported by a program. schemas/ and adapters/ do no I/O, and no
// program imports @kubernetes/client-node statically.

import { dirname, relative, resolve, sep } from 'node:path';

const PURE = ['schemas', 'adapters'];
const BASE = [...PURE, 'kube', 'log'];
const PROGRAMS = ['operator', 'metrics-api', 'release', 'conformance', 'dashboard', 'cli'];

/** Top-level folder -> the top-level folders its modules may import. */
export const LAYERS = {
  schemas: ['schemas'],
  adapters: ['schemas', 'adapters'],
  log: ['log'],
  kube: ['kube', 'schemas'],
  operator: [...BASE, 'operator'],
  'metrics-api': [...BASE, 'metrics-api'],
  release: [...BASE, 'release'],
  // The suite runs the operator in-process and serves its conversion webhook.
  conformance: [...BASE, 'conformance', 'operator', 'release'],
  // The dashboard reads the operator's units and labels and answers TrafficMetrics in-process.
  dashboard: [...BASE, 'dashboard', 'operator', 'metrics-api'],
  cli: [...BASE, ...PROGRAMS],
  // The demo and the harness tests and benchmarks share; imported by them, never the reverse.
  dev: [...BASE, ...PROGRAMS, 'dev'],
};

/** Modules that do I/O (files, network, processes, logging, metrics); schemas/ and adapters/ stay pure. */
export const IO_MODULES = [
  'fs', 'fs/promises', 'http', 'https', 'http2', 'net', 'tls', 'dgram', 'dns', 'child_process', 'cluster', 'worker_threads', 'readline',
  '@kubernetes/client-node', 'winston', 'prom-client', 'commander',
];
// Entry points that are build tools, not library code: `make generate` writes the CRDs.
const IO_EXEMPT = new Set(['schemas/generate.ts']);

const isIo = (spec) => IO_MODULES.includes(spec.replace(/^node:/, '')) || IO_MODULES.some((m) => spec.startsWith(`${m}/`));

export const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'keep the import direction between the top-level folders' },
    schema: [{ type: 'object', properties: { root: { type: 'string' } }, required: ['root'], additionalProperties: false }],
    messages: {
      layer: "{{from}}/ may not import {{to}}/ ('{{spec}}'): {{from}}/ may import {{allowed}}",
      io: "{{from}}/ does no I/O: '{{spec}}' belongs in kube/, log/ or a program",
      heavy: "import @kubernetes/client-node on demand only (await import(), as kube/credentials.ts does): importing it costs ~80 MiB RSS",
    },
  },
  create(context) {
    const root = context.options[0].root;
    const file = relative(root, context.filename).split(sep).join('/');
    const from = file.split('/')[0];
    const allowed = LAYERS[from];
    if (!allowed) return {};
    const check = (node, spec) => {
      if (typeof spec !== 'string') return;
      if (spec.startsWith('.')) {
        const target = relative(root, resolve(dirname(context.filename), spec)).split(sep).join('/');
        const to = target.split('/')[0];
        if (target.startsWith('..') || allowed.includes(to) || !target.includes('/')) return;
        context.report({ node, messageId: 'layer', data: { from, to, spec, allowed: allowed.join(', ') } });
      } else if (PURE.includes(from) && !IO_EXEMPT.has(file) && isIo(spec)) {
        context.report({ node, messageId: 'io', data: { from, spec } });
      }
    };
    const heavy = (n) => {
      // Type-only imports and re-exports are erased; dev/ is not shipped; schemas/ and adapters/ get the I/O message.
      const typeOnly = n.importKind === 'type' || n.exportKind === 'type';
      if (from !== 'dev' && !PURE.includes(from) && !typeOnly && n.source.value === '@kubernetes/client-node') context.report({ node: n.source, messageId: 'heavy' });
    };
    return {
      ImportDeclaration: (n) => {
        check(n.source, n.source.value);
        heavy(n);
      },
      ExportNamedDeclaration: (n) => {
        if (!n.source) return;
        check(n.source, n.source.value);
        heavy(n);
      },
      ExportAllDeclaration: (n) => {
        check(n.source, n.source.value);
        heavy(n);
      },
      ImportExpression: (n) => n.source.type === 'Literal' && check(n.source, n.source.value),
    };
  },
};
