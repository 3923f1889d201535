// HTTP match headers come in two shapes: a map (Go type, spec docs) and a list
// of single-key maps (upstream CRD schema, draft docs). The hub holds the map.

export type HeaderResult = { headers: Record<string, string>; errors: Array<{ path: string; message: string }> };

/** Normalises either shape to a map; `path` is the field path of `headers`, for messages. */
export function normaliseHeaders(value: unknown, path: string): HeaderResult {
  const headers: Record<string, string> = {};
  const errors: HeaderResult['errors'] = [];
  const addAll = (map: unknown, at: string) => {
    if (typeof map !== 'object' || map === null || Array.isArray(map)) {
      errors.push({ path: at, message: 'must be a map of header name to regex' });
      return;
    }
    for (const [name, regex] of Object.entries(map)) {
      if (typeof regex !== 'string') {
        errors.push({ path: `${at}.${name}`, message: 'must be a string (a regex)' });
      } else if (name in headers && headers[name] !== regex) {
        errors.push({ path: `${at}.${name}`, message: `header given twice with different regexes (${JSON.stringify(headers[name])}, ${JSON.stringify(regex)})` });
      } else {
        headers[name] = regex;
      }
    }
  };
  if (Array.isArray(value)) value.forEach((item, i) => addAll(item, `${path}[${i}]`));
  else addAll(value, path);
  return { headers, errors };
}
