// Lint: typescript-eslint with type information (floating promises), import
// cycles refused everywhere in src/, and the layering rules the architecture
// depends on (workflow code stays deterministic, activities reach storage only
// through its interfaces). Formatting is Prettier's job, not ESLint's.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'coverage/**', 'bench/results/**', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.mts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.mts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.mts'] },
      'import-x/resolver-next': [importX.createNodeResolver({ extensions: ['.ts', '.js', '.mts'] })],
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-self-import': 'error',
    },
  },
  {
    // The bin launcher and tool configs are plain CommonJS run by Node.
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        process: 'readonly',
        console: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Activities reach storage only through its interfaces, so the GCP adapters drop in without touching one.
    files: ['src/activities/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'node:fs', message: 'activities use ArtifactStore / Warehouse, not files' },
            { name: 'node:fs/promises', message: 'activities use ArtifactStore / Warehouse, not files' },
            { name: 'fs', message: 'activities use ArtifactStore / Warehouse, not files' },
            { name: 'fs/promises', message: 'activities use ArtifactStore / Warehouse, not files' },
            { name: '@duckdb/node-api', message: 'activities use the Warehouse interface' },
          ],
          patterns: [
            {
              regex: '^\\.\\./storage/(?!warehouse$|artifact-store$)',
              message: 'activities use only the Warehouse and ArtifactStore interfaces of src/storage',
            },
          ],
        },
      ],
    },
  },
  prettier,
);
