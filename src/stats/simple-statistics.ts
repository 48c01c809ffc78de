import type * as SimpleStatistics from 'simple-statistics' with { 'resolution-mode': 'import' };

/**
 * simple-statistics ships a CommonJS build (its `require` export) but its
 * type declarations sit in an ES module package, which TypeScript refuses to
 * `import` from CommonJS. So: the types through a type-only import in import
 * mode, the code through require, which resolves to dist/simple-statistics.cjs.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const ss = require('simple-statistics') as typeof SimpleStatistics;
