// Lint: typescript-eslint's recommended rules, no floating promises, and the import directions of
// DESIGN.md enforced per layer (a layer may import only from the layers below it).
// Import cycles inside a layer are forbidden too, type-only imports included, by
// scripts/check-import-cycles.mjs, which `npm run lint` runs after ESLint: `import-x/no-cycle` skips
// type-only imports, and every cycle this project has had was type-only.
import tseslint from 'typescript-eslint';

/** Files of `layer` may not import from the `forbidden` layers. */
function layer(layerDir, forbidden) {
  return {
    files: [`src/${layerDir}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: forbidden.map((dir) => ({
            group: [`**/${dir}/*`, `**/${dir}/**`],
            message: `src/${layerDir} must not depend on src/${dir} (see DESIGN.md: import directions).`,
          })),
        },
      ],
    },
  };
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'src/api/generated/**', 'eslint.config.js', 'scripts/*.mjs', 'bin/**'] },
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // node:test's describe/test return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'test', 'it', 'suite'] }] },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  layer('crypto', ['api', 'service', 'store', 'auth', 'audit', 'server', 'cli', 'keys']),
  layer('keys', ['api', 'service', 'store', 'auth', 'audit', 'server', 'cli']),
  layer('store', ['api', 'service', 'auth', 'audit', 'server', 'cli']),
  layer('auth', ['api', 'service', 'audit', 'server', 'cli']),
  layer('audit', ['api', 'service', 'server', 'cli']),
  layer('service', ['api', 'audit', 'server', 'cli']),
  layer('api', ['server', 'cli']),
);
