import type { z } from 'zod';

/** A zod error as one line: each issue's path and message (never the offending value: it may be a secret). */
export function formatZodError(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`).join('; ');
}
