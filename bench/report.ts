/** The markdown report: targets, speed, profiles, migration cost; printed and written to bench/README.md. */
import os from 'node:os';
import type { ApplyTiming, BigChange, Cost } from './cost.js';
import { BASE_ROWS, BIG_CHILD, COST_ROWS } from './cost.js';
import { applyReps, bigRows, command, median, reps } from './env.js';
import type { Machine } from './machine.js';
import { pkgVersion } from './machine.js';
import type { Probe, Profile } from './profile.js';
import { CHANGED, FOLDER_FILES, pad, TABLES, tname } from './schemas.js';
import { pairedRange, ratio, type CaseResult } from './speed.js';

export interface Results {
  machine: Machine;
  loadAtStart: number[];
  speed: CaseResult[];
  probes: Probe[];
  profiles: Profile[];
  costs: Cost[];
  big: BigChange;
  apply: ApplyTiming;
  totalS: number;
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const mb = (kb: number) => (kb / 1024).toFixed(1);
const x = (r: number) => `${r.toFixed(2)}×`;
const sum = (xs: Iterable<number>) => [...xs].reduce((a, b) => a + b, 0);
function table(head: string[], rows: (string | number)[][], align?: string[]): string {
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map((_, i) => align?.[i] ?? '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

interface Target {
  target: string;
  measured: string;
  met: boolean;
}

const wallOf = (r: CaseResult) => `${int(median(r.ms['drizzle-d1']))} ms vs ${int(median(r.ms['drizzle-kit']))} ms, one pair ${pairedRange(r).map(x).join('–')}`;

function speedTargets(speed: CaseResult[]): Target[] {
  const byId = (id: string) => speed.find((r) => r.c.id === id)!;
  const targets: Target[] = [];
  const wall = (r: CaseResult, label = r.c.label) =>
    targets.push({ target: `generate, ${label}: wall time ≤ 0.5× drizzle-kit`, measured: `${x(ratio(r, 'ms'))} (${wallOf(r)})`, met: ratio(r, 'ms') <= 0.5 });
  const rss = (r: CaseResult) =>
    targets.push({
      target: `generate, ${r.c.label}: peak memory ≤ 0.8× drizzle-kit`,
      measured: `${x(ratio(r, 'rss'))} (${mb(median(r.rss['drizzle-d1']))} MB vs ${mb(median(r.rss['drizzle-kit']))} MB)`,
      met: ratio(r, 'rss') <= 0.8,
    });
  for (const id of ['init300', 'change300']) {
    wall(byId(id));
    rss(byId(id));
  }
  wall(byId('folder20'));
  wall(byId('same300'));
  rss(byId('same300'));
  const small = byId('same5');
  wall(small, `${small.c.label} (the everyday run)`);
  const floor = median(small.floorMs);
  const d1 = median(small.ms['drizzle-d1']);
  targets.push({
    target: `${small.c.label} (the everyday run): wall time ≤ 1.2× the floor (bare \`node\` + drizzle-orm + the schema precompiled to CommonJS)`,
    measured: `${x(d1 / floor)} (${int(d1)} ms vs ${int(floor)} ms)`,
    met: d1 / floor <= 1.2,
  });
  return targets;
}

function costTargets(all: Cost[]): Target[] {
  const overCopied = all.filter(
    (c) => c.maxCopies > 1 || c.copied > c.plan || c.other !== 0 || c.dropDeletes < c.planDeletes || c.dropDeletes > c.planDeletesAtMost,
  );
  const unreferenced = all.filter((c) => !c.referenced && c.own.length);
  const aboveMin = unreferenced.filter((c) => c.copied !== c.minimum);
  return [
    {
      target: 'rows rewritten: every child row at most once',
      measured: overCopied.length
        ? `missed in ${overCopied.map((c) => `"${c.name}" (copied ${c.copied}, plan ${c.plan}, a table copied ${c.maxCopies}×, DROP TABLE deletes ${c.dropDeletes} where the plan says ${c.planDeletes}–${c.planDeletesAtMost}, other writes ${c.other})`).join('; ')}`
        : `${all.length}/${all.length} migrations copy each table at most once and write nothing else but DROP TABLE's own deletions (see *Migration cost*), each as the plan says; copied = plan in ${all.filter((c) => c.copied === c.plan).length}/${all.length}`,
      met: overCopied.length === 0,
    },
    {
      target: 'rows rewritten = minimum where no table references a rebuilt one',
      measured: aboveMin.length
        ? `missed in ${aboveMin.map((c) => `"${c.name}" (copied ${c.copied}, minimum ${c.minimum})`).join('; ')}`
        : `${unreferenced.length}/${unreferenced.length} such migrations copy exactly the minimum`,
      met: aboveMin.length === 0,
    },
  ];
}

function targetsSection(r: Results): string {
  const targets = [...speedTargets(r.speed), ...costTargets([...r.costs, r.big.cost])];
  const missed = targets.filter((t) => !t.met);
  const summary = missed.length
    ? `**Missed: ${missed.length} of ${targets.length} targets.** ${missed.map((t) => `${t.target}: measured ${t.measured}.`).join(' ')}`
    : `All ${targets.length} targets met.`;
  return `## Targets\n\n${table(['target', 'measured', 'met?'], targets.map((t) => [t.target, t.measured, t.met ? 'yes' : '**NO — missed**']))}\n\n${summary}`;
}

function speedSection(speed: CaseResult[]): string {
  const rows = speed.map((r) => [
    r.c.label,
    `${int(median(r.ms['drizzle-d1']))} ms`,
    `${int(median(r.ms['drizzle-kit']))} ms`,
    x(ratio(r, 'ms')),
    pairedRange(r).map(x).join('–'),
    `${mb(median(r.rss['drizzle-d1']))} MB`,
    `${mb(median(r.rss['drizzle-kit']))} MB`,
    x(ratio(r, 'rss')),
    `${int(median(r.cpu['drizzle-d1']))} ms`,
    `${int(median(r.cpu['drizzle-kit']))} ms`,
    x(ratio(r, 'cpu')),
  ]);
  const head = ['case', 'drizzle-d1 wall', 'drizzle-kit wall', 'd1/kit', 'd1/kit, one pair of runs', 'drizzle-d1 peak RSS', 'drizzle-kit peak RSS', 'd1/kit', 'drizzle-d1 CPU', 'drizzle-kit CPU', 'd1/kit'];
  const floor = speed.find((r) => r.floorMs.length);
  return `## Generate: wall time and peak memory

Median of ${reps} runs per tool, drizzle-d1 and drizzle-kit alternating (order swapped every repetition) after one
unmeasured warm-up run each; every run starts from a fresh copy of the same prepared folder. **After an edit**: before
every run (warm-up included) one \`score\` default of a leaf table is set to a value no earlier run used, in the
one-file schema or in one file of the folder (a different file each run), for both tools: the edited file is in no
transform cache, as when a user runs \`generate\` right after editing. *Every file cold*: the child gets a fresh empty
\`TMPDIR\`, so tsx's transform cache (drizzle-kit's, and drizzle-d1's fallback) is empty. *Unedited*: the old
measurement, where every run finds the schema in tsx's cache. Wall time is measured from spawn to exit of
\`node <bin> generate\` in the project folder; peak memory is the child's peak RSS; CPU is the child's user + system
time (less sensitive than wall time to other load on the machine). *d1/kit, one pair of runs*: the lowest and highest
wall-time ratio of the ${reps} back-to-back pairs, which shows how far this machine's noise moves a single measurement.

${table(head, rows, ['---', ...head.slice(1).map(() => '---:')])}
${floor ? `\nThe floor of the everyday run (${floor.c.label}), measured in the same loop: a bare \`node\` that requires drizzle-orm, drizzle-orm/sqlite-core and the schema precompiled to CommonJS: **${int(median(floor.floorMs))} ms** (range ${int(Math.min(...floor.floorMs))}–${int(Math.max(...floor.floorMs))} ms).\n` : ''}
The schema: ${TABLES} tables \`t000\`…\`t${pad(TABLES - 1)}\` of 8 columns, one index each, and (all but \`t000\`) one
\`ON DELETE CASCADE\` foreign key to an earlier table (\`t<i>\` → \`t<(i-1)/2>\`, a binary tree). The change turns
\`price\` from \`real\` into \`integer\` in every sixth table (${CHANGED.size} tables), which SQLite can only do by
rebuilding them. The folder holds the same ${TABLES} tables in ${FOLDER_FILES} files of ${TABLES / FOLDER_FILES}, each importing the
parents it references from the others. The folders that start with a migration hold drizzle-kit's initial
migration (the adoption path), for both tools.`;
}

const TRANSFORM_CHOICE = `## Loading the user's TypeScript: why oxc-transform

drizzle-d1 loads \`drizzle.config.ts\` and the schema with Node's own \`require()\` behind a TypeScript hook, as
drizzle-kit does, so both share one drizzle-orm. Through tsx every file it has not seen costs an esbuild round
trip, and registering the hook starts the esbuild service: right after an edit that is most of the run. The fast
path (\`src/schema/fast-load.ts\`) transforms in-process instead. Candidates, measured on this machine in a cold
\`node\` (a user's run is always a cold process), for the ${TABLES}-table schema (median of 3, load + transform):

| transform | load | transform | notes |
| --- | ---: | ---: | --- |
| oxc-transform 0.158 (native Node-API addon, prebuilt per platform in npm) | ~8 ms | ~6 ms (types stripped + ESM → CommonJS, two passes) | chosen |
| esbuild \`transformSync\` (what tsx does per cold file) | ~15–50 ms | ~80–150 ms (service start + round trip) | the fallback, through tsx |
| sucrase 3.35 (pure JS) | ~55–160 ms | ~190–340 ms | cold JIT: fast only once warmed up |
| amaro 1.2 (swc in wasm) | ~60–100 ms | ~120–440 ms | strips types only: ESM out, which Node 20.12 cannot \`require()\` |

What the fast path cannot do goes to tsx, which then loads the whole project as before: decorators (tsconfig
\`experimentalDecorators\`, or decorator syntax Node rejects), syntax errors (so the message keeps esbuild's
\`file:line:col: ERROR\` wording), top-level await, an import it cannot resolve, Node's source maps turned on, no
oxc-transform binary for the platform, an unreadable tsconfig. tsconfig \`paths\`/\`baseUrl\` (with \`extends\`) and
\`verbatimModuleSyntax\` are honoured on the fast path. Separately, \`bin/compile-cache.cjs\` keeps V8's compiled code of
drizzle-d1's bundle and the packages in node_modules between runs on Node 20 (never the user's files); the *every file cold* case
starts without it too.`;

function probeSection(probes: Probe[]): string {
  return `Load phases measured alone (each in its own \`node\` process, median of ${reps}; in-process time of the step, except
the bare-process row):

${table(['phase (median, separate process each)', 'time'], probes.map((p) => [p.label, `${int(p.ms)} ms`]), ['---', '---:'])}`;
}

function profileTables(profiles: Profile[]): string {
  const byMax = <T>(items: T[], get: (p: Profile, k: T) => number) =>
    items.sort((a, b) => Math.max(...profiles.map((p) => get(p, b))) - Math.max(...profiles.map((p) => get(p, a))));
  const bucketNames = byMax([...new Set(profiles.flatMap((p) => [...p.buckets.keys()]))], (p, k) => p.buckets.get(k) ?? 0);
  const owners = table(
    ['sampled CPU time by owner', ...profiles.map((p) => `${p.tool}, ${p.c.label}`)],
    [
      ...bucketNames.map((b) => [b, ...profiles.map((p) => (p.buckets.has(b) ? `${int(p.buckets.get(b)!)} ms` : '–'))]),
      ['**total sampled**', ...profiles.map((p) => `**${int(sum(p.buckets.values()))} ms**`)],
    ],
    ['---', ...profiles.map(() => '---:')],
  );
  const d1 = profiles.filter((p) => p.tool === 'drizzle-d1');
  const stageTotal = (m: Map<string, number> | undefined) => sum(m?.values() ?? []);
  const stageNames = [...new Set(d1.flatMap((p) => [...p.stages.keys()]))].sort(
    (a, b) => Math.max(...d1.map((p) => stageTotal(p.stages.get(b)))) - Math.max(...d1.map((p) => stageTotal(p.stages.get(a)))),
  );
  const cell = (m: Map<string, number> | undefined) => {
    if (!m) return '–';
    const top = [...m].filter(([, v]) => v >= 5).sort((a, b) => b[1] - a[1]).slice(0, 3);
    return `${int(stageTotal(m))} ms${top.length ? ` (${top.map(([k, v]) => `${k.replace(/ \(.*\)$/, '')} ${int(v)}`).join(', ')})` : ''}`;
  };
  const stages = table(['drizzle-d1 stage (sampled CPU, main owners in ms)', ...d1.map((p) => p.c.label)], stageNames.map((st) => [st, ...d1.map((p) => cell(p.stages.get(st)))]));
  return `One \`node --cpu-prof\` run per tool (sampling adds overhead; each sample is charged to the package of the nearest
non-Node frame on its stack, so module loading triggered from a package counts for that package, and everything
loaded through tsx's require hook shows up under \`tsx\`):

${owners}

The same drizzle-d1 profiles by pipeline stage (innermost drizzle-d1 function on the stack):

${stages}`;
}

function dropNote(all: Cost[]): string {
  const withDropDeletes = all.filter((c) => c.dropDeletes > 0);
  const asPlanned = all.filter((c) => c.dropDeletes >= c.planDeletes && c.dropDeletes <= c.planDeletesAtMost);
  const range = (c: Cost) => (c.planDeletes === c.planDeletesAtMost ? `${c.planDeletes}` : `${c.planDeletes}–${c.planDeletesAtMost}`);
  return (
    `**DROP TABLE's own writes.** Besides the copies, the D1 applier counts the rows \`DROP TABLE\` of an old table ` +
    `deletes one by one: SQLite's implicit \`DELETE FROM\` when foreign keys are on and a foreign key still names the ` +
    `table (a child left in place under RESTRICT/NO ACTION, a self-reference, a cycle, where the deletions' ON DELETE ` +
    `actions also write into old tables dropped later). No surviving row changes, but each is a write. drizzle-d1's plan ` +
    `names these tables (\`deletedByDrop\` and \`rowsDeletedByDrop\` in \`--json\`); the count agrees with it in ` +
    `${asPlanned.length}/${all.length} migrations` +
    (withDropDeletes.length ? `. Where it is not zero: ${withDropDeletes.map((c) => `"${c.name}" ${c.dropDeletes} rows (plan ${range(c)})`).join('; ')}.` : '.')
  );
}

function costTable(all: Cost[]): string {
  const names = (xs: string[]) => (xs.length > 4 ? `${xs.length} tables` : xs.join(', ') || '–');
  return table(
    ['migration', 'rebuilt (own change)', 'moved children', 'drizzle-d1 plan: copies', 'applied: copied', 'drizzle-d1 plan: DROP TABLE deletes', 'applied: DROP TABLE deletes', 'detach/reattach', 'minimum', 'referenced?', 'ok'],
    all.map((c) => [
      c.name,
      names(c.own),
      names(c.moved),
      int(c.plan),
      int(c.copied),
      c.planDeletes === c.planDeletesAtMost ? int(c.planDeletes) : `${int(c.planDeletes)}–${int(c.planDeletesAtMost)}`,
      int(c.dropDeletes),
      int(c.workaround),
      int(c.minimum),
      c.referenced ? 'yes' : 'no',
      c.ok ? 'yes' : '**NO**',
    ]),
    ['---', '---', '---', '---:', '---:', '---:', '---:', '---:', '---:', '---', '---'],
  );
}

function costSection(r: Results): string {
  const all = [...r.costs, r.big.cost];
  return `## Migration cost: rows rewritten

Every planner scenario (\`test/scenarios/scenarios.ts\`, with its seed rows) and the ${CHANGED.size}-of-${TABLES}-table change
(${COST_ROWS} rows in every table). *Plan: copies*: drizzle-d1's plan, the sum of the rows of every table it rebuilds (own
change or moved child). *Plan: DROP TABLE deletes*: the rows of the tables its \`deletedByDrop\` names (a range where a
cycle's ON DELETE actions may also write into old tables dropped later). *Applied*: rows counted by the D1 applier (\`total_changes()\` difference of the migration's
transaction) minus bookkeeping writes (the \`sqlite_sequence\` carry-over and the foreign-key guard row), split by
replaying the file statement by statement on a copy into rows *copied* (\`INSERT … SELECT\`) and rows *deleted by
\`DROP TABLE\`* (SQLite's implicit delete of a table a foreign key still names); no other write occurred unless *ok* says
otherwise. *detach/reattach*: the public workaround (rebuild the children
without the foreign key, rebuild the parent, rebuild the children with it again) = rebuilt tables once + every
moved child twice. *Minimum*: rows of the tables whose own definition changed. *Referenced?*: another table has a
foreign key to a table rebuilt for its own change. *ok*: copied = plan, DROP TABLE deletes within the plan's, no
table copied twice, no other writes, and copied = minimum when not referenced.

${dropNote(all)}

${costTable(all)}

drizzle-kit ${pkgVersion('drizzle-kit')}'s own migration for the ${CHANGED.size}-table change, applied the same way on the same rows: ${r.big.kitOutcome}.`;
}

function applySection(r: Results): string {
  const a = r.apply;
  const rows = [
    ['database', `SQLite file in ${os.tmpdir()}, ${int(a.totalRows)} rows (${int(bigRows)} in ${tname(BIG_CHILD)}, ${int(BASE_ROWS)} in each other table), ${a.dbMB.toFixed(0)} MB`],
    ['migration', `drizzle-d1's ${CHANGED.size}-table change: ${r.big.cost.own.length} rebuilt + ${r.big.cost.moved.length} moved tables (${tname(BIG_CHILD)} among the moved)`],
    ['rows rewritten', `${int(a.rewritten)} copied by drizzle-d1 (applier rowsWritten ${int(a.rowsWritten)}, bookkeeping included); minimum ${int(a.minimum)}; detach/reattach ${int(a.minimum + 2 * (a.rewritten - a.minimum))}`],
    ['wall time to apply (one D1 transaction, foreign keys on)', `**${int(median(a.ms))} ms** (median of ${applyReps}: ${a.ms.map(int).join(', ')} ms)`],
  ];
  return `## Applying the ${CHANGED.size}-table change with ${int(bigRows)} rows in a child table\n\n${table(['', ''], rows)}`;
}

export function renderReport(r: Results): string {
  const m = r.machine;
  return `# drizzle-d1 benchmarks

Generated by \`bench/run.ts\` (modules beside it: \`schemas\`, \`speed\`, \`profile\`, \`cost\`, \`report\`). Reproduce with:

\`\`\`sh
${command}
\`\`\`

(\`npm run bench -- --reps N\` for N alternating runs per tool and case, \`--quick\` for 2; this run: ${reps} runs, ${applyReps} apply run(s), ${r.totalS.toFixed(0)} s in total.)

## Machine

- Node ${m.node}, ${m.os}
- CPU: ${m.cpu}, RAM ${m.memory}
- ${m.versions}
- drizzle-d1 commit ${m.commit}, run ${new Date().toISOString()}
- peak memory measured with ${m.peakRss}
- 1-minute load average ${r.loadAtStart[0]!.toFixed(2)} at the start, ${os.loadavg()[0]!.toFixed(2)} at the end (${m.cores} cores); other work on the machine inflates wall times (drizzle-d1 and drizzle-kit alternate, so both see it)

${targetsSection(r)}

${speedSection(r.speed)}

${TRANSFORM_CHOICE}

## Where drizzle-d1's time goes

${probeSection(r.probes)}

${profileTables(r.profiles)}

${costSection(r)}

${applySection(r)}
`;
}


