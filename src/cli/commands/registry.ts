import type { Command } from 'commander';
import type { RegistryDoc } from '../../registry/champion-registry';
import type { CliContext } from '../context';
import { positiveInt } from '../options';

/** `bike-retrain registry list|show|rollback|rebuild`. */
export function registerRegistryCommand(program: Command, ctx: CliContext): Command {
  const registry = program.command('registry').description('model versions and the champion alias');
  const openConfiguredStorage = async () => {
    const { openStorage } = await import('../../storage/open-storage.js');
    return openStorage(await ctx.environment());
  };
  const openRegistry = async () => {
    const [{ ChampionRegistry }, storage] = await Promise.all([
      import('../../registry/champion-registry.js'),
      openConfiguredStorage(),
    ]);
    return new ChampionRegistry(storage.registryDocument<RegistryDoc>(), storage.artifacts);
  };
  registry.command('list').action(async () => {
    const d = await (await openRegistry()).snapshot();
    if (d.versions.length === 0)
      console.log('no model versions yet: `bike-retrain train-champion` (or `demo`) registers the first champion');
    for (const v of d.versions) {
      const alias = Object.entries(d.aliases)
        .filter(([, n]) => n === v.version)
        .map(([a]) => a)
        .join(',');
      console.log(
        `v${v.version}  ${v.modelType}  ${v.createdAt}  R²(baseline) ${v.metrics.baseline?.r2.toFixed(3) ?? '—'}  ${alias}`,
      );
    }
  });
  registry.command('show [version]').action(async (version?: string) => {
    const r = await openRegistry();
    const v = version ? await r.version(Number(version)) : await r.champion();
    console.log(v ? JSON.stringify(v, null, 2) : 'no such version');
  });
  registry
    .command('rollback')
    .option('--to <version>', 'version to make champion (default: previous champion)', positiveInt)
    .action(async (o: { to?: number }) => {
      const [registry, { warehouse }, { rollbackChampion }] = await Promise.all([
        openRegistry(),
        openConfiguredStorage(),
        import('../../champion/rollback.js'),
      ]);
      try {
        const r = await rollbackChampion(
          { registry, warehouse, clock: () => new Date() },
          { to: o.to, by: `cli:${process.env.USER ?? 'unknown'}` },
        );
        console.log(
          r.changed
            ? `champion is now v${r.version} (was v${r.previousChampion}); audited`
            : `v${r.version} is already champion`,
        );
      } finally {
        await warehouse.close();
      }
    });
  registry
    .command('rebuild')
    .description(
      'write a missing, unreadable or empty registry document again from the model version records, artifacts/registry/summary.json or the champion model artifacts',
    )
    .action(async () => {
      const [registry, { artifacts }, { rebuildRegistry }] = await Promise.all([
        openRegistry(),
        openConfiguredStorage(),
        import('../../champion/registry-rebuild.js'),
      ]);
      const r = await rebuildRegistry(
        { registry, artifacts, clock: () => new Date() },
        { by: `cli:${process.env.USER ?? 'unknown'}` },
      );
      if (r.keptAs) console.log(`the damaged registry document is kept as ${r.keptAs}`);
      console.log(`rebuilt ${registry.location} from ${r.sources.join(' and ')}:`);
      for (const v of r.doc.versions) {
        const alias = Object.entries(r.doc.aliases)
          .filter(([, n]) => n === v.version)
          .map(([a]) => a)
          .join(',');
        console.log(`  v${v.version}  ${v.modelType}  ${v.createdAt}  ${v.modelUri}  ${alias}`);
      }
      for (const n of r.notes) console.log(`note: ${n}`);
    });
  return registry;
}
