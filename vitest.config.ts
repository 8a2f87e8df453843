import { defineConfig } from 'vitest/config';

// Unit and engine tests run in Node: src/analysis and src/io must never need a DOM, so the
// default environment is `node`; chart tests opt into jsdom with a docblock.
export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/engine/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
