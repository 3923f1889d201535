// A problem found in an object: the unit of every validation and translation error.
// Errors are values: functions return Problem[] rather than throwing.

export interface Problem {
  /** `Kind namespace/name` of the object the problem is in. */
  object: string;
  /** Dotted field path inside the object, e.g. `spec.backends[1].weight`. */
  path: string;
  message: string;
}

export function problem(object: string, path: string, message: string): Problem {
  return { object, path, message };
}

/** `<Kind> <namespace>/<name>: <field.path>: <message>` */
export function formatProblem(p: Problem): string {
  return p.path ? `${p.object}: ${p.path}: ${p.message}` : `${p.object}: ${p.message}`;
}
