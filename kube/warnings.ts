// The API server's `Warning` response headers (RFC 7234 form, as k8s.io/apimachinery
// writes them: `299 - "text"`, with `"` and `\` escaped in the text) -> the texts.
// Admission webhooks' `response.warnings` reach clients this way.

const WARNING = /^\s*\d{3}\s+\S+\s+"((?:[^"\\]|\\.)*)"/;

/** The text of each header value; a value not in that form is kept as it is. */
export function warningTexts(values: readonly string[] | undefined): string[] {
  return (values ?? []).map((v) => {
    const m = WARNING.exec(v);
    return m ? m[1]!.replace(/\\(.)/g, '$1') : v.trim();
  });
}
