// `smictl completion bash|zsh|fish`: shell completion for the commands and their
// flags, generated from the commander program (so it cannot drift from --help). Pure.

export interface CompletionModel {
  commands: { name: string; description: string; flags: string[] }[];
  /** Flags of the root command. */
  flags: string[];
}

const q = (s: string): string => `'${s.replace(/'/g, "'\\''")}'`;

function bash(m: CompletionModel): string {
  const cases = m.commands.map((c) => `    ${c.name}) opts=${q(c.flags.join(' '))} ;;`).join('\n');
  return `# smictl bash completion: source <(smictl completion bash)
_smictl() {
  local cur cmd opts
  cur="\${COMP_WORDS[COMP_CWORD]}"
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W ${q([...m.commands.map((c) => c.name), ...m.flags].join(' '))} -- "$cur") )
    return 0
  fi
  cmd="\${COMP_WORDS[1]}"
  case "$cmd" in
${cases}
    *) opts='' ;;
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=( $(compgen -W "$opts" -- "$cur") )
  else
    COMPREPLY=( $(compgen -f -- "$cur") )
  fi
  return 0
}
complete -F _smictl smictl
`;
}

function zsh(m: CompletionModel): string {
  // zsh runs the bash function through bashcompinit: one implementation for both shells.
  return `#compdef smictl
# smictl zsh completion: source <(smictl completion zsh)
autoload -U +X bashcompinit && bashcompinit
${bash(m).split('\n').slice(1).join('\n')}`;
}

function fish(m: CompletionModel): string {
  const lines = ['# smictl fish completion: smictl completion fish | source', 'complete -c smictl -f'];
  for (const c of m.commands) {
    lines.push(`complete -c smictl -n '__fish_use_subcommand' -a ${q(c.name)} -d ${q(c.description.slice(0, 80))}`);
    for (const f of c.flags) {
      if (!f.startsWith('--')) continue;
      lines.push(`complete -c smictl -n '__fish_seen_subcommand_from ${c.name}' -l ${q(f.slice(2))}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

export function completionScript(shell: Shell, m: CompletionModel): string {
  return shell === 'bash' ? bash(m) : shell === 'zsh' ? zsh(m) : fish(m);
}
