// Lint rules that the type checker cannot give: a store call that is not awaited compiles
// (a Promise is a value) but loses its error and its ordering. These rules make every
// forgotten `await` on the asynchronous store, audit log and database a failing check.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['build/**', 'dist/**', 'node_modules/**', 'widget/**', 'bench/results/**', '**/*.js', '**/*.mjs'] },
  {
    files: ['server/**/*.ts', 'demo/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: true }],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/await-thenable': 'error',
    },
  },
);
