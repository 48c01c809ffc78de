import type { ActivityDeps } from './deps';

export interface NotifyInput {
  workflowId: string;
  runId: string;
  decision: string;
  reason: string;
  webUiUrl: string | null;
}

/**
 * Posts a Slack/Discord-compatible message ({ text, content }) to the
 * webhook set by BIKE_RETRAIN_WEBHOOK_URL on deploy, rejection and failure.
 * The URL is a secret: it never leaves the worker (not in payloads, logs,
 * errors or audit rows). The workflow swallows a final failure: a broken
 * webhook never fails the run.
 */
export function makeNotify(deps: ActivityDeps) {
  return async function notify(input: NotifyInput): Promise<string> {
    const url = deps.webhookUrl;
    if (!url) return 'not configured';
    const link =
      input.webUiUrl ??
      (deps.webUiBase
        ? `${deps.webUiBase}/${encodeURIComponent(input.workflowId)}/${encodeURIComponent(input.runId)}`
        : null);
    const text = `bike-retrain: ${input.decision} — ${input.reason}\n${input.workflowId} (run ${input.runId})${link ? `\n${link}` : ''}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text, content: text }),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (err) {
      // Name the failure (the network error's code, e.g. ECONNREFUSED, or a timeout) without the URL: it may
      // carry a token, and so may the original error's message, which is why it is not attached as the cause.
      const code = (err as { cause?: { code?: unknown } }).cause?.code;
      // eslint-disable-next-line preserve-caught-error
      throw new Error(`webhook request failed: ${typeof code === 'string' ? code : (err as Error).name}`);
    }
    if (!res.ok) throw new Error(`webhook answered HTTP ${res.status}`);
    return 'sent';
  };
}
