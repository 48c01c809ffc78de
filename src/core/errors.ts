/**
 * Error types shared by activities and the workflow. Their `name` is what
 * Temporal retry policies list in `nonRetryableErrorTypes`, so keep the names
 * stable: committed histories and retry policies refer to them.
 */

/** Where bad input was found: enough for a person to open the file and look. */
export interface BadInputLocation {
  file: string;
  column?: string;
  /** 1-based data row (or line) number of the first bad row. */
  row?: number;
  value?: string;
}

/** Bad data or a bad artifact: retrying will not help. */
export class BadInputError extends Error {
  override readonly name = 'BadInputError';
  constructor(
    readonly reason: string,
    readonly location: BadInputLocation,
  ) {
    super(formatBadInput(reason, location));
  }
}

export function formatBadInput(reason: string, loc: BadInputLocation): string {
  const parts = [`file ${loc.file}`];
  if (loc.column !== undefined) parts.push(`column "${loc.column}"`);
  if (loc.row !== undefined) parts.push(`row ${loc.row}`);
  if (loc.value !== undefined) parts.push(`value ${JSON.stringify(loc.value)}`);
  return `${reason} (${parts.join(', ')})`;
}

/** Invalid configuration or workflow input: fails at once, never retried. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** A model artifact that cannot be read or belongs to another format/pipeline. */
export class ModelArtifactError extends Error {
  override readonly name = 'ModelArtifactError';
}

/** The champion changed under a promotion (a lost compare-and-swap race): retrying cannot win it. */
export class PromotionConflictError extends Error {
  override readonly name = 'PromotionConflictError';
}

/**
 * Errors that no retry can fix: bad data, bad config, an unreadable model, a
 * lost promotion race. The workflow's retry policies list exactly these.
 */
/** `putIfAbsent` found different content at the key: an immutable artifact written twice with different bytes. */
export class ArtifactConflictError extends Error {
  override readonly name = 'ArtifactConflictError';
  constructor(readonly uri: string) {
    super(
      `${uri} already exists with different content; artifacts written once are immutable, so a retry must write the same bytes (nondeterministic output?). Check which one is in use before removing the stored one`,
    );
  }
}

export const NON_RETRYABLE_ERROR_TYPES = [
  'BadInputError',
  'ConfigError',
  'ModelArtifactError',
  'PromotionConflictError',
  // A retry writes the same bytes again and meets the same conflict: say so at once.
  'ArtifactConflictError',
] as const;
