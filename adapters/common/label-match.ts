// Kubernetes label matching, the one implementation every layer uses: the
// adapters (which pods a Service or a pod selector reaches), the operator's
// dependency index and the conformance interpreters.

export type Labels = Readonly<Record<string, string>>;

/** matchLabels semantics: every pair present and equal; an absent or empty map selects everything. */
export function matchesLabels(matchLabels: Labels | undefined, labels: Labels): boolean {
  for (const k in matchLabels) if (labels[k] !== matchLabels[k]) return false;
  return true;
}

/** A Service's selector: as matchLabels, except that an absent or empty one selects no pods. */
export function serviceSelects(selector: Labels | undefined, labels: Labels): boolean {
  return !!selector && Object.keys(selector).length > 0 && matchesLabels(selector, labels);
}

export interface LabelSelector {
  matchLabels?: Labels;
  matchExpressions?: ReadonlyArray<{ key: string; operator: string; values?: readonly string[] }>;
}

/** A metav1.LabelSelector: matchLabels and every matchExpression (In, NotIn, Exists, DoesNotExist; any other operator matches nothing). */
export function matchesLabelSelector(sel: LabelSelector | undefined, labels: Labels): boolean {
  if (!matchesLabels(sel?.matchLabels, labels)) return false;
  return (sel?.matchExpressions ?? []).every((e) => {
    const v = Object.hasOwn(labels, e.key) ? labels[e.key] : undefined;
    switch (e.operator) {
      case 'In':
        return v !== undefined && (e.values ?? []).includes(v);
      case 'NotIn':
        return v === undefined || !(e.values ?? []).includes(v);
      case 'Exists':
        return v !== undefined;
      case 'DoesNotExist':
        return v === undefined;
      default:
        return false;
    }
  });
}
