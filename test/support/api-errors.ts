// HTTP status of a failed @kubernetes/client-node call, for asserting exact server answers.

export function apiStatus(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** Awaits a call that must fail; returns the status code and the server's message. */
export async function expectApiError(p: Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await p;
  } catch (err) {
    const status = apiStatus(err);
    if (status === undefined) throw err;
    const body = (err as { body?: unknown }).body;
    const parsed = typeof body === 'string' ? safeJson(body) : body;
    const message = (parsed as { message?: string } | undefined)?.message ?? String(body);
    return { status, message };
  }
  throw new Error('expected the API call to fail, but it succeeded');
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return { message: s };
  }
}
