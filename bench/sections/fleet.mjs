// @ts-check
/** Fleet simulation of the real refresh policy (see lib/fleet.mjs); pure computation, no emulator. */
import { simulateFleet } from '../lib/fleet.mjs';

/** @param {ReturnType<typeof simulateFleet>['policy']} outcome */
function fleetRow(outcome) {
  return {
    'peak KMS req/s': outcome.peakKmsRequestsPerSecond,
    'KMS requests': outcome.kmsRequests,
    'first refresh (min)': outcome.firstRefreshAfterRotationMin,
    'median (min)': outcome.medianRefreshAfterRotationMin,
    'whole fleet (min)': outcome.wholeFleetOnNewKeyAfterMin,
  };
}

/** @type {import('../lib/workloads.mjs').Section} */
export default {
  id: 'fleet',
  title: 'fleet simulation (one rotation, real refresh policy)',
  needsEmulator: false,
  async run({ quick }) {
    const fleet = simulateFleet({ processes: quick ? 100 : 10_000 });
    return {
      result: fleet,
      table: {
        [`${fleet.processes} processes: rotation date + delay + jitter`]: fleetRow(fleet.policy),
        'same, without the per-process jitter': fleetRow(fleet.withoutJitter),
        'if KMS gave no NextRotationDate': fleetRow(fleet.withoutRotationDate),
      },
    };
  },
};
