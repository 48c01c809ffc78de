// npm run bench:train:table -- [FILE] — renders a bench:train results file (default bench/results/latest.jsonl)
// as the Markdown tables the README shows, the host named in the caption.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseResults, renderMarkdown } from './train-summary';

const file = process.argv[2] ?? join(__dirname, 'results', 'latest.jsonl');
process.stdout.write(renderMarkdown(parseResults(readFileSync(file, 'utf8'))));
