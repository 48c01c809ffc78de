import { hash3 } from '../../src/data/random';

/**
 * Mutation k of `text` (deterministic): 1–4 edits, each inserting one of `pieces`, replacing one
 * character with it, or deleting 1..maxDelete characters, at a place from `from` on. `salt` sets
 * apart the draws of two tests that mutate the same way.
 */
export function mutateText(
  text: string,
  k: number,
  pieces: readonly string[],
  o: { from?: number; salt?: number; maxDelete: number },
): string {
  const from = o.from ?? 0;
  const salt = o.salt ?? 0;
  let s = text;
  const edits = 1 + (hash3(k, 0, salt + 1) % 4);
  for (let e = 0; e < edits; e++) {
    const at = from + (hash3(k, e, salt + 2) % (s.length - from + 1));
    const piece = pieces[hash3(k, e, salt + 3) % pieces.length];
    const cut = hash3(k, e, salt + 4) % 3; // 0: insert, 1: replace one character, 2: delete a few
    s =
      s.slice(0, at) +
      (cut === 2 ? '' : piece) +
      s.slice(at + (cut === 0 ? 0 : cut === 1 ? 1 : 1 + (hash3(k, e, salt + 5) % o.maxDelete)));
  }
  return s;
}
