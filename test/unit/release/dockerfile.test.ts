// The Dockerfile cannot be built here (no Docker engine), so it is kept simple
// and checked: the build stage runs what `make build` runs, the runtime stage is
// Node 24, non-root, without dev dependencies, and every path it copies exists.

import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import yaml from 'js-yaml';
import { repoRoot } from '../../../dev/controlplane/paths.js';

interface Stage {
  from: string;
  name?: string;
  lines: Array<{ op: string; args: string }>;
}

function stages(text: string): Stage[] {
  const out: Stage[] = [];
  const joined = text.replace(/\\\n/g, ' ');
  for (const raw of joined.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [op, ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (op!.toUpperCase() === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args)!;
      out.push({ from: m[1]!, ...(m[2] ? { name: m[2] } : {}), lines: [] });
    } else out.at(-1)!.lines.push({ op: op!.toUpperCase(), args });
  }
  return out;
}

const root = repoRoot();
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
const all = stages(dockerfile);
const final = all.at(-1)!;
const runs = (s: Stage) => s.lines.filter((l) => l.op === 'RUN').map((l) => l.args);

describe('release: Dockerfile', () => {
  it('is multi-stage on Node 24 (the version package.json and the Makefile use)', () => {
    expect(all.length).to.be.greaterThan(1);
    for (const s of all) expect(s.from).to.match(/^(node:24-slim|gcr\.io\/distroless\/nodejs24)/);
    const make = readFileSync(join(root, 'Makefile'), 'utf8');
    expect(/^NODE_VERSION := 24\./m.test(make)).to.equal(true);
    expect((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node).to.equal('>=24');
  });

  it('builds with the commands `make build` runs: npm ci, then tsc -p tsconfig.json', () => {
    const build = all.find((s) => s.name === 'build')!;
    const cmds = runs(build).join(' && ');
    expect(cmds).to.match(/npm ci\b/);
    expect(cmds).to.match(/tsc -p tsconfig\.json/);
    expect(cmds.indexOf('npm ci')).to.be.lessThan(cmds.indexOf('tsc -p'));
    const make = readFileSync(join(root, 'Makefile'), 'utf8');
    expect(make).to.match(/^\tnpm ci\b/m);
    expect(make).to.match(/^\ttsc -p tsconfig\.json$/m);
  });

  it('the runtime stage has no compiler or dev dependencies and runs as a non-root user', () => {
    const deps = all.find((s) => s.name === 'deps')!;
    expect(runs(deps).join(' ')).to.match(/npm ci --omit=dev/);
    const copies = final.lines.filter((l) => l.op === 'COPY').map((l) => l.args);
    expect(copies.find((c) => c.includes('node_modules'))).to.match(/^--from=deps /);
    const user = final.lines.filter((l) => l.op === 'USER').at(-1)?.args;
    expect(user).to.match(/^[1-9]\d*(:\d+)?$/);
    expect(runs(final).join(' ')).to.not.match(/npm|tsc/);
  });

  it('copies only paths that exist: context paths in the repo, stage paths produced by the build', () => {
    for (const s of all) {
      for (const l of s.lines.filter((x) => x.op === 'COPY')) {
        const parts = l.args.split(/\s+/);
        const from = parts[0]!.startsWith('--from=') ? parts.shift()!.slice('--from='.length) : undefined;
        const srcs = parts.slice(0, -1);
        for (const src of srcs) {
          if (!from) expect(existsSync(join(root, src)), `COPY ${src}`).to.equal(true);
          else {
            expect(all.some((x) => x.name === from), `stage ${from}`).to.equal(true);
            // /src is the repo in the build stages: the built tree here stands for it.
            const local = src.replace(/^\/src\//, '');
            expect(existsSync(join(root, local)), `COPY --from=${from} ${src}`).to.equal(true);
          }
        }
      }
    }
  });

  it('the benchmark runs the operator with the manager container\'s node flags and allocator (B4 measures what is deployed)', async () => {
    const { DEPLOYMENT_ENV, DEPLOYMENT_NODE_FLAGS, IMAGE_JEMALLOC } = await import('../../../dev/world/operator-proc.js');
    const manager = (yaml.loadAll(readFileSync(join(root, 'config/manager/manager.yaml'), 'utf8')) as Array<{ kind: string; spec?: { template: { spec: { containers: Array<{ name: string; command: string[]; env?: Array<{ name: string; value?: string }> }> } } } }>).find((d) => d.kind === 'Deployment')!;
    const container = manager.spec!.template.spec.containers[0]!;
    const env = Object.fromEntries((container.env ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value]));
    // Node flags on the command line: node refuses V8 flags such as --max-opt in NODE_OPTIONS.
    expect(env.NODE_OPTIONS).to.equal(undefined);
    expect(container.command).to.deep.equal(['node', ...DEPLOYMENT_NODE_FLAGS.split(' '), 'dist/cli/smictl.js', 'operator']);
    expect(JSON.parse(final.lines.find((l) => l.op === 'CMD')!.args)).to.deep.equal(container.command);
    for (const [k, v] of Object.entries(DEPLOYMENT_ENV)) expect(env[k], k).to.equal(v);
    expect(Object.keys(env).filter((k) => k !== 'POD_NAMESPACE')).to.have.members(Object.keys(DEPLOYMENT_ENV));
    // The preloaded library is where the image puts it.
    expect(env.LD_PRELOAD).to.equal(IMAGE_JEMALLOC);
    expect(runs(final).join(' ')).to.match(/apt-get install -y --no-install-recommends libjemalloc2/);
    expect(runs(final).join(' ')).to.include(`ln -s "$(dpkg -L libjemalloc2 | grep '/libjemalloc.so.2$')" ${IMAGE_JEMALLOC}`);
  });

  it('node accepts the manager container\'s flags on its command line', async () => {
    // NODE_OPTIONS would refuse --max-opt; the command line must not.
    const { DEPLOYMENT_NODE_FLAGS } = await import('../../../dev/world/operator-proc.js');
    const flags = DEPLOYMENT_NODE_FLAGS.split(' ');
    const r = spawnSync(process.execPath, [...flags, '-e', 'process.stdout.write("ok")'], { encoding: 'utf8' });
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.equal('ok');
  });

  it('maps the image\'s jemalloc to this machine\'s, or says the benchmark runs on glibc malloc', async () => {
    const { deploymentEnv, IMAGE_JEMALLOC } = await import('../../../dev/world/operator-proc.js');
    const debian = '/usr/lib/x86_64-linux-gnu/libjemalloc.so.2';
    const here = deploymentEnv((p) => p === debian);
    expect(here.env.LD_PRELOAD).to.equal(debian);
    expect(here.allocator).to.match(/^jemalloc/);
    const image = deploymentEnv((p) => p === IMAGE_JEMALLOC);
    expect(image.env.LD_PRELOAD).to.equal(IMAGE_JEMALLOC);
    const none = deploymentEnv(() => false);
    expect(none.env.LD_PRELOAD).to.equal(undefined);
    expect(none.env.MALLOC_ARENA_MAX).to.equal('2');
    expect(none.allocator).to.match(/glibc/);
  });

  it('the manager container runs the default concurrency, which the benchmark and `smictl operator` use too', async () => {
    const { DEFAULT_CONCURRENCY } = await import('../../../operator/config/mesh-config.js');
    const manager = (yaml.loadAll(readFileSync(join(root, 'config/manager/manager.yaml'), 'utf8')) as Array<{ kind: string; spec?: { template: { spec: { containers: Array<{ args?: string[] }> } } } }>).find((d) => d.kind === 'Deployment')!;
    expect(manager.spec!.template.spec.containers[0]!.args).to.include(`--concurrency=${DEFAULT_CONCURRENCY}`);
  });

  it('runs the files the Deployments run, and ships `smictl` for the metrics API', () => {
    const cmd = JSON.parse(final.lines.find((l) => l.op === 'CMD')!.args) as string[];
    expect(cmd.filter((a) => !a.startsWith('--'))).to.deep.equal(['node', 'dist/cli/smictl.js', 'operator']);
    const manager = (yaml.loadAll(readFileSync(join(root, 'config/manager/manager.yaml'), 'utf8')) as Array<{ kind: string; spec?: { template: { spec: { initContainers: Array<{ command: string[] }>; containers: Array<{ command: string[] }> } } } }>).find((d) => d.kind === 'Deployment')!;
    for (const c of [...manager.spec!.template.spec.initContainers, ...manager.spec!.template.spec.containers]) {
      expect(c.command[0]).to.equal('node');
      const script = c.command.slice(1).find((a) => !a.startsWith('--'))!;
      expect(existsSync(join(root, script)), script).to.equal(true);
      expect(script).to.match(/^dist\/(cli|release)\//);
    }
    expect(dockerfile).to.match(/ln -s \/app\/dist\/cli\/smictl\.js \/usr\/local\/bin\/smictl/);
    expect(readFileSync(join(root, 'dist/cli/smictl.js'), 'utf8')).to.match(/^#!\/usr\/bin\/env node/);
  });

  it('ships every module the shipped entry points import, and nothing from test/, bench/ or dev/', () => {
    // The runtime stage copies whole dist/ folders; walk the real import graph of
    // the built entry points (static and dynamic imports) from there.
    const shipped = final.lines
      .filter((l) => l.op === 'COPY' && l.args.startsWith('--from=build /src/dist/'))
      .map((l) => l.args.split(/\s+/)[1]!.replace(/^\/src\//, ''));
    expect(shipped).to.not.include.members(['dist/test', 'dist/bench', 'dist/dev']);
    const entries = ['dist/cli/smictl.js', 'dist/release/cert-bootstrap.js'];
    const seen = new Set<string>();
    const todo = entries.map((e) => join(root, e));
    while (todo.length > 0) {
      const file = todo.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      const rel = relative(root, file);
      expect(shipped.some((d) => rel.startsWith(`${d}/`)), `${rel} is imported by a shipped entry point but not copied into the image`).to.equal(true);
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:from\s+|import\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g)) todo.push(resolve(dirname(file), m[1]!));
    }
    expect(seen.size).to.be.greaterThan(50);
  });

  it('.dockerignore keeps host builds and tools out of the context', () => {
    const ignore = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim());
    expect(ignore).to.include.members(['node_modules', 'dist', '.tools', '.git']);
  });
});
