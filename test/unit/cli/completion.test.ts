// Shell completion generated from the program, run in a real bash; image tags to versions.

import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { imageVersion } from '../../../cli/server-version.js';
import { smictl } from './run.js';

describe('smictl completion and --version', function () {
  this.timeout(30_000);

  it('bash: completes command names, then that command\'s flags', () => {
    const script = smictl(['completion', 'bash']).stdout;
    const complete = (words: string[]): string => {
      const r = spawnSync('bash', ['-c', `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _smictl; echo "\${COMPREPLY[*]}"`], { encoding: 'utf8' });
      expect(r.status, r.stderr).to.equal(0);
      return r.stdout.trim();
    };
    expect(complete(['smictl', 'desc'])).to.equal('describe');
    expect(complete(['smictl', 'check', '--con'])).to.equal('--context');
    expect(complete(['smictl', 'uninstall', '--keep'])).to.equal('--keep-native');
  });

  it('zsh and fish scripts name every command; an unknown shell is a usage error', () => {
    for (const shell of ['zsh', 'fish']) {
      const out = smictl(['completion', shell]).stdout;
      for (const c of ['validate', 'check', 'describe', 'uninstall', 'completion']) expect(out, shell).to.contain(c);
    }
    const bad = smictl(['completion', 'tcsh']);
    expect(bad.status).to.equal(2);
    expect(bad.stderr).to.contain('one of bash, zsh, fish');
  });

  it('--version prints the client version, and says why there is no server version', () => {
    const r = smictl(['--version', '--kubeconfig', '/nonexistent']);
    expect(r.status).to.equal(0);
    expect(r.stdout).to.match(/^client: \d+\.\d+\.\d+\nserver: no cluster \(kubeconfig \/nonexistent: cannot read: ENOENT/);
  });

  it('imageVersion: tag, v-prefix, registry port, digest, no tag', () => {
    expect(imageVersion('ghcr.io/o/smi-operator:v0.2.0')).to.equal('0.2.0');
    expect(imageVersion('localhost:5000/smi-operator:0.1.0')).to.equal('0.1.0');
    expect(imageVersion('localhost:5000/smi-operator')).to.equal(undefined);
    expect(imageVersion('smi-operator:1.0.0@sha256:abc')).to.equal('1.0.0');
  });
});
