import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: [
      'gateway/**/*.test.ts',
      'devices/**/*.test.ts',
      'rules/**/*.test.ts',
      'test/**/*.test.ts',
      'bench/**/*.test.ts',
    ],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // system tests spawn the built gateway; build first (globalSetup)
    globalSetup: ['test/globalSetup.ts'],
  },
})
