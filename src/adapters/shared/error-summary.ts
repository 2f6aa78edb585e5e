/**
 * What is safe and useful to log about an error from either platform's client: named fields only, never the
 * request options, URL or body (they hold tokens: Slack's bot token, Discord's interaction tokens in URLs).
 */
export function errorSummary(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: String(err) };
  const e = err as Error & { code?: unknown; data?: { error?: unknown }; statusCode?: unknown; status?: unknown };
  const status = typeof e.statusCode === 'number' ? e.statusCode : e.status;
  return {
    // web-api's errors are named "Object"; their code says more.
    ...(err.name && err.name !== 'Object' ? { type: err.name } : {}),
    message: err.message,
    ...(typeof e.code === 'string' || typeof e.code === 'number' ? { code: e.code } : {}),
    ...(typeof e.data?.error === 'string' ? { slackError: e.data.error } : {}),
    ...(typeof status === 'number' ? { status } : {}),
    ...(err.stack ? { stack: err.stack } : {}),
  };
}
