// npm run bench:train — issue 4's benchmark: our forest and boosting against scikit-learn on the same
// simulated full-scale data (≈657K training, ≈131K test rows). Each model runs in its own process so
// peak RSS is its own. Prints one JSON line per model and writes bench/results/latest.jsonl.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildBaselineSets, simulateBaselineTable } from '../src/data/baseline';
import { buildFeatures, fitFeatureSpec } from '../src/features/pipeline';

const dir = join(__dirname, 'results');
const dataDir = join(dir, 'data');

function writeMatrix(name: string, cols: readonly Float32Array[], y: Float64Array): void {
  const n = y.length;
  const X = new Float32Array(n * cols.length); // row-major, as numpy wants it
  cols.forEach((c, j) => {
    for (let i = 0; i < n; i++) X[i * cols.length + j] = c[i];
  });
  writeFileSync(join(dataDir, `${name}-X.f32`), Buffer.from(X.buffer));
  writeFileSync(join(dataDir, `${name}-y.f64`), Buffer.from(y.buffer));
}

function main(): void {
  mkdirSync(dataDir, { recursive: true });
  const sim = simulateBaselineTable({ scale: 'full', seed: 1, endMs: Date.UTC(2026, 9, 1) });
  const sets = buildBaselineSets({ table: sim.table, testFromMs: sim.testFromMs });
  const spec = fitFeatureSpec(sets.train);
  const tr = buildFeatures(sets.train, spec);
  const te = buildFeatures(sets.test, spec);
  writeMatrix('train', tr.X.columns, tr.y);
  writeMatrix('test', te.X.columns, te.y);
  writeFileSync(
    join(dataDir, 'meta.json'),
    JSON.stringify({ names: tr.X.names, kinds: tr.X.kinds, train_rows: tr.y.length, test_rows: te.y.length }),
  );
  console.error(`data: ${tr.y.length} train / ${te.y.length} test rows, ${tr.X.names.length} features → ${dataDir}`);

  const lines: Record<string, unknown>[] = [];
  const run = (cmd: string, args: string[]) => {
    const out = execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    for (const l of out.split('\n').filter((x) => x.startsWith('{'))) {
      console.log(l);
      lines.push(JSON.parse(l) as Record<string, unknown>);
    }
  };
  for (const model of ['rf:100', 'rf:50', 'gbt:100', 'finetune'])
    run(process.execPath, ['--import', 'tsx', join(__dirname, 'train-one.ts'), model, dataDir]);
  // Debian's python3-sklearn lives under /usr/bin/python3, which a pyenv python3 on PATH may shadow.
  const python = ['python3', '/usr/bin/python3'].find((py) => {
    try {
      execFileSync(py, ['-c', 'import sklearn'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });
  const sklearn = python !== undefined;
  if (!python) console.error('scikit-learn not found (apt-get install python3-sklearn): comparison skipped');
  else
    for (const model of ['rf:100', 'rf:50', 'hgb'])
      run(python, [join(__dirname, 'sklearn_compare.py'), model, dataDir]);
  writeFileSync(join(dir, 'latest.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  if (sklearn) {
    const find = (system: string, model: string, trees?: number) =>
      lines.find((l) => l.system === system && l.model === model && (trees === undefined || l.trees === trees));
    for (const [ours, theirs] of [
      [find('bike-retrain', 'rf', 100), find('scikit-learn', 'rf', 100)],
      [find('bike-retrain', 'rf', 50), find('scikit-learn', 'rf', 50)],
      [find('bike-retrain', 'gbt'), find('scikit-learn', 'hgb')],
    ] as const) {
      if (!ours || !theirs) continue;
      console.log(
        JSON.stringify({
          compare: `${ours.model}/${ours.trees} vs ${theirs.model}/${theirs.trees}`,
          train_time_ratio: +((ours.train_s as number) / (theirs.train_s as number)).toFixed(3),
          r2_diff: +((ours.r2 as number) - (theirs.r2 as number)).toFixed(4),
        }),
      );
    }
  }
}

main();
