import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', '.xray-tracer/', 'test-results/', 'dist/', 'src/console/dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  // The component rules of DESIGN.md: no arrow runs back up. Folder cycles inside a component are
  // checked by test/architecture/folder-cycles.test.ts, which `npm run lint` runs after eslint.
  ...componentRules({
    xray: ['cloud', 'console', 'cli', 'pattern'],
    cloud: ['xray', 'console', 'cli'],
    console: ['xray', 'cloud', 'cli', 'pattern'],
    pattern: ['xray', 'cloud', 'cli'],
  }),
  {
    files: ['src/common/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^\\.\\./', message: 'src/common is a leaf: it imports nothing else of ours (DESIGN.md).' }] }],
    },
  },
);

/**
 * One `no-restricted-imports` block per component, refusing relative imports that climb out of
 * src/<component> into a forbidden one (no component has a subfolder named like another).
 */
function componentRules(forbidden) {
  return Object.entries(forbidden).map(([component, others]) => ({
    files: [`src/${component}/**/*.{ts,tsx}`],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          regex: `^(\\.\\./)+(${others.join('|')})(/|$)`,
          message: `src/${component} imports nothing of ${others.map((other) => `src/${other}`).join(', ')} (DESIGN.md).`,
        }],
      }],
    },
  }));
}
