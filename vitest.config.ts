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
    // tests wait for events, never for durations; these only bound a failure, and on a loaded
    // machine a system test's several waits (each bounded at 15 s) can add up
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // system tests spawn the built gateway; build first (globalSetup)
    globalSetup: ['test/globalSetup.ts'],
  },
})
