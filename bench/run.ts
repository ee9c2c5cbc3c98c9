/**
 * `npm run bench`: generate speed (after an edit, cold, unedited, no change) and migration cost against
 * drizzle-kit, measured in the same run; a markdown report on stdout and in bench/README.md.
 * Flags: see env.ts.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { applyTiming, bigChangeCost, scenarioCosts } from './cost.js';
import { base, flag, log, repo } from './env.js';
import { buildUnderTest, machineInfo } from './machine.js';
import { runProbes, runProfiles } from './profile.js';
import { renderReport } from './report.js';
import { prepareCases, runSpeed } from './speed.js';

const started = performance.now();
const loadAtStart = os.loadavg();
buildUnderTest();
const machine = machineInfo();
log(`temp folder ${base}`);
const cases = prepareCases();
const speed = runSpeed(cases);
const probes = runProbes(cases);
const profiles = runProfiles(cases, ['init300', 'change300', 'same5']);
const costs = await scenarioCosts();
const big = bigChangeCost(cases.find((c) => c.id === 'change300')!.dir);
const apply = applyTiming(big);
const report = renderReport({ machine, loadAtStart, speed, probes, profiles, costs, big, apply, totalS: (performance.now() - started) / 1000 });

process.stdout.write(`${report}\n`);
if (!flag('--no-readme')) {
  writeFileSync(join(repo, 'bench', 'README.md'), report);
  log('wrote bench/README.md');
}
if (flag('--keep')) log(`kept ${base}`);
