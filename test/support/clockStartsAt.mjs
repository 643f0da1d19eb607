// Preloaded (`node --import`) into a gateway a system test starts with
// STOREGUARD_TEST_CLOCK_START=<ISO instant>: the process's clock reads that
// instant at start and runs on at the normal rate, so the test can expect
// literal business-hours due times (docs/design.md#real-tests: fake only the clock). The
// gateway reads the time only through `Date.now()` (gateway/core/clock.ts,
// luxon, pino); timers are untouched, so waits still take real time.

const startMs = Date.parse(process.env.STOREGUARD_TEST_CLOCK_START ?? '')
if (Number.isNaN(startMs)) throw new Error('STOREGUARD_TEST_CLOCK_START must be an ISO 8601 instant')
const realNow = Date.now
const offsetMs = startMs - realNow()
Date.now = () => realNow() + offsetMs
