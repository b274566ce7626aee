import type { RawConfigReader } from './raw-config.js';
import type { RegionConfig } from './types.js';
import { asRecord, endpointProblem, parseBooleanish, readJsonArray, stringField } from './values.js';
import { quoteConfigValue } from './quote-value.js';

const EXAMPLE = '[{"regionId":"cn-hangzhou"}]';

/**
 * Parses `cache_client_region_id`: a JSON array of
 * `{"regionId": "...", "endpoint": "optional", "vpc": "true" | true | optional}`,
 * in order of preference. Returns an empty list when the key is absent.
 */
export function readRegions(config: RawConfigReader): RegionConfig[] {
  const entries = readJsonArray(config, 'cache_client_region_id', EXAMPLE);
  if (entries === undefined) return [];
  return entries.map((value, index): RegionConfig => {
    const fail = (problem: string): Error =>
      config.error('cache_client_region_id', `entry #${index} ${problem}`);
    const entry = asRecord(value);
    if (entry === undefined) throw fail(`is not a JSON object; expected ${EXAMPLE}.`);
    const regionId = stringField(entry, 'regionId');
    if (regionId === undefined) throw fail('has no "regionId".');
    if (!/^[a-z0-9-]+$/i.test(regionId))
      throw fail(`has a malformed "regionId": ${quoteConfigValue(regionId)}.`);
    let endpoint: string | undefined;
    if (entry['endpoint'] !== undefined && entry['endpoint'] !== '') {
      endpoint = stringField(entry, 'endpoint');
      if (endpoint === undefined) throw fail('has an "endpoint" that is not a string.');
      const problem = endpointProblem(endpoint);
      if (problem !== undefined)
        throw fail(`has an "endpoint" that ${problem}: ${quoteConfigValue(endpoint)}.`);
    }
    const vpc = parseBooleanish(entry['vpc']);
    if (vpc === undefined) throw fail('has a "vpc" that is neither true nor false.');
    return endpoint === undefined ? { regionId, vpc } : { regionId, endpoint, vpc };
  });
}
