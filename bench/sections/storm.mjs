// @ts-check
/** Rotation storm: N calls in flight when the key is rotated and the old one revoked (see workloads/storm.mjs). */
import { atMost, equals } from '../lib/checks.mjs';
import { startWorker } from '../lib/processes.mjs';
import { workload } from '../lib/workloads.mjs';

const SLACK_MS = 50;

/** @type {import('../lib/workloads.mjs').Section} */
export default {
  id: 'rotationStorm',
  title: 'rotation storm: calls in flight when the key is rotated and the old one revoked',
  async run({ quick, emulator, world }) {
    const plan = quick ? { inFlight: 20, serverLatencyMs: 20 } : { inFlight: 1_000, serverLatencyMs: 50 };
    const worker = await startWorker(workload('storm'), { world }, emulator);
    try {
      const storm = await worker.request('task', 'run', plan);
      // At this many calls in flight the emulator is saturated: a call's round trip is the burst's, not a lone
      // call's. A retried call pays one more of those, so that is the business round trip of the target.
      const loadedRoundTripMs = storm.baseline.medianMs;
      const limit = loadedRoundTripMs + storm.kmsRoundTripMs + SLACK_MS;
      return {
        result: storm,
        table: {
          [`${plan.inFlight} calls, ECS answers after ${plan.serverLatencyMs} ms`]: {
            'rejected by the cloud': storm.rejectedByCloud,
            'KMS fetches': storm.kmsFetches,
            failures: storm.userVisibleFailures,
            'failures without rotation': storm.baselineFailures,
            'lone call ms': storm.businessRoundTripMs,
            'median ms without rotation': storm.baseline.medianMs,
            'p99 ms without rotation': storm.baseline.p99Ms,
            'p99 ms with rotation': storm.storm.p99Ms,
            'added p99 ms': storm.addedP99Ms,
          },
        },
        notes: [
          `business round trip: a lone call takes ${storm.businessRoundTripMs} ms; in the burst without rotation the median call takes ${storm.baseline.medianMs} ms, and that is the round trip a retry adds`,
        ].concat(
          [storm.failureReasons, storm.baselineFailureReasons]
            .map((reasons, i) => [i === 0 ? 'with rotation' : 'without rotation', JSON.stringify(reasons)])
            .filter(([, reasons]) => reasons !== '{}')
            .map(([when, reasons]) => `failures ${when}: ${reasons}`),
        ),
        checks: [
          equals(`rotation storm: KMS fetches (${plan.inFlight} calls in flight)`, storm.kmsFetches, 1),
          equals('rotation storm: user-visible failures', storm.userVisibleFailures, 0),
          atMost('rotation storm: added p99', storm.addedP99Ms, limit, {
            unit: ' ms',
            digits: 1,
            single: 'one burst each',
            target: `≤ business RT in the burst (${loadedRoundTripMs.toFixed(1)}) + KMS RT (${storm.kmsRoundTripMs.toFixed(1)}) + ${SLACK_MS} = ${limit.toFixed(1)} ms`,
          }),
        ],
      };
    } finally {
      await worker.close();
    }
  },
};
