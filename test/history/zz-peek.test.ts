import { it } from 'vitest';
import { readFileSync } from 'node:fs';
import { TempProject } from '/work/main/test/support/project.js';
import { histories, versionOf } from '/work/main/test/history/histories.js';
it('peek', async () => {
  for (const name of [process.env.H!]) {
    const h = histories.find((x) => x.name.startsWith(name))!;
    const p = new TempProject({ configExtra: h.configExtra });
    for (const [i, v] of h.versions.entries()) {
      p.schema(versionOf(v).source);
      const r = await p.generate({ flags: { name: 'v' + (i + 1) }, backfill: versionOf(v).backfill });
      console.log(`---- ${h.name} v${i + 1}\n` + r.migration!.sql);
    }
    p.dispose();
  }
});
