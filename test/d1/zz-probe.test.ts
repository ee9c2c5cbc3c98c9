import { it } from 'vitest';
import { WranglerProject } from '../support/wrangler.js';
it('probe', async () => {
  const p = WranglerProject.create({ migrationsDir: '/tmp/hm' });
  const r = await p.apply();
  console.log(JSON.stringify({ ...r, stdout: r.stdout.slice(-600), stderr: r.stderr.slice(-600) }, null, 1), p.dbPath);
  const e = await p.execute("INSERT INTO t VALUES (1); SELECT * FROM t; SELECT * FROM a;");
  console.log(JSON.stringify(e, null, 1));
  const e2 = await p.execute("SELECT * FROM nope;");
  console.log(JSON.stringify(e2, null, 1));
  p.dispose();
});
