import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'assembly/', 'lab-report/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    // Ops record their gradients through their family's typed table (defineGradients in
    // src/ops/op.ts), never under a plain string on the tape.
    files: ['src/ops/**/*.ts'],
    ignores: ['src/ops/op.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '../autograd/tape.js',
              importNames: ['record'],
              message:
                "Record an op's gradient with its family's defineGradients table (src/ops/op.ts).",
            },
          ],
        },
      ],
    },
  },
);
