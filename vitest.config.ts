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
    // two test files at a time, whatever the core count: vitest's default (cores − 1) runs one at a
    // time on the 2-core CI machine, and most of a system test's time is spent waiting on a gateway,
    // a broker or influxd, not computing. Tests wait for events, so the extra load changes no result.
    maxWorkers: 2,
    hookTimeout: 120_000,
    // system tests spawn the built gateway; build first (globalSetup)
    globalSetup: ['test/globalSetup.ts'],
  },
})
