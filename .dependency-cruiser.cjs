/**
 * The architecture as rules (run by `npm run lint`): no import cycle in src/,
 * type-only imports included (ESLint's import-x/no-cycle skips those), and the
 * layers: workflow → activities → domain services → storage, with src/core
 * (the domain vocabulary) and src/stats depending on nothing of ours.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      severity: 'error',
      comment: 'Import cycles (type-only ones too) make the layers meaningless and module load order fragile.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'core-is-a-leaf',
      severity: 'error',
      comment: 'src/core is the shared vocabulary: it imports nothing else of ours.',
      from: { path: '^src/core/' },
      to: { path: '^src/', pathNot: '^src/core/' },
    },
    {
      name: 'stats-depends-on-core-only',
      severity: 'error',
      comment: 'src/stats is plain statistics: only the domain vocabulary.',
      from: { path: '^src/stats/' },
      to: { path: '^src/', pathNot: '^src/(stats|core)/' },
    },
    {
      name: 'workflows-import-only-workflow-code',
      severity: 'error',
      comment:
        'Workflow code is deterministic and bundled: only workflow modules, the domain vocabulary, and types of activities.',
      from: { path: '^src/workflows/' },
      to: { path: '^src/', pathNot: '^src/(workflows|core)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'activities-use-storage-interfaces',
      severity: 'error',
      comment: 'Activities reach storage only through Warehouse and ArtifactStore, so the GCP adapters drop in.',
      from: { path: '^src/activities/' },
      to: { path: '^src/storage/', pathNot: '^src/storage/(warehouse|artifact-store)\\.ts$' },
    },
    {
      name: 'lower-layers-do-not-import-upper',
      severity: 'error',
      comment:
        'Storage, registry, models, data and drift never reach up into activities, workflows, the client or the CLI.',
      from: { path: '^src/(storage|registry|model|data|drift|features|datasets|stats|core|config|audit)/' },
      to: { path: '^src/(activities|workflows|client|cli)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '\\.wat$' },
  },
};
