// Kubernetes name syntax (apimachinery validation): SMI fields that name a Kubernetes
// object must name one that can exist, or the adapters would render rules for
// a name no object has (or, like `*`, a mesh wildcard that covers every service).

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

export type NameRule = 'DNS-1123 subdomain' | 'DNS-1123 label' | 'DNS-1035 label';

const MAX: Record<NameRule, number> = { 'DNS-1123 subdomain': 253, 'DNS-1123 label': 63, 'DNS-1035 label': 63 };
const SHAPE: Record<NameRule, string> = {
  'DNS-1123 subdomain': 'lower-case letters, digits, "-" and ".", starting and ending with a letter or digit',
  'DNS-1123 label': 'lower-case letters, digits and "-", starting and ending with a letter or digit',
  'DNS-1035 label': 'lower-case letters, digits and "-", starting with a letter and ending with a letter or digit',
};

export function isName(rule: NameRule, v: unknown): v is string {
  if (typeof v !== 'string' || v.length === 0 || v.length > MAX[rule]) return false;
  if (rule === 'DNS-1035 label') return LABEL_1035.test(v);
  if (rule === 'DNS-1123 label') return LABEL.test(v);
  return v.split('.').every((part) => LABEL.test(part));
}

/** Why `v` is not a valid `rule` name, or undefined when it is. */
export function nameProblem(rule: NameRule, v: unknown): string | undefined {
  if (isName(rule, v)) return undefined;
  const got = JSON.stringify(v) ?? String(v);
  if (typeof v === 'string' && v.length > MAX[rule]) return `must be a ${rule} of at most ${MAX[rule]} characters, got ${v.length}`;
  return `must be a ${rule} (${SHAPE[rule]}), got ${got}`;
}
