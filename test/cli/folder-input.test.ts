/**
 * A damaged migrations folder through every command that reads it (generate, lint, verify,
 * rollback, rewrite): each refuses with its code, one paragraph naming the file at fault, no stack
 * trace, and leaves the project exactly as it was. No command reads a file outside the folder.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CORE, TempProject } from '../support/project.js';
import { buildCli, drizzleD1, expectCommandRefusal, projectWithHistory, readJson, treeOf, writeJson } from './support.js';

const V1 = `${CORE}
export const users = sqliteTable('users', { id: integer('id').primaryKey(), name: text('name').notNull() });`;
const V2 = V1.replace(`name: text('name').notNull() }`, `name: text('name').notNull(), email: text('email') }`);
const V3 = V2.replace(`email: text('email') }`, `email: text('email'), bio: text('bio') }`);

const projects: TempProject[] = [];

/** 0000_first (V1) and 0001_second (V2) written, V3 pending. */
const withHistory = () => projectWithHistory(projects, [['first', V1], ['second', V2]], V3);

const JOURNAL = 'drizzle/meta/_journal.json';
function editJournal(p: TempProject, edit: (entries: { idx: number; tag: string }[]) => void): void {
  const journal = readJson(p, JOURNAL);
  edit(journal.entries);
  writeJson(p, JOURNAL, journal);
}

/** Every command that reads the folder, with its exit code for bad input. */
const COMMANDS: { args: string[]; exit: number }[] = [
  { args: ['generate', '--name', 'third'], exit: 1 },
  { args: ['lint'], exit: 1 },
  { args: ['verify', '--rows', '5'], exit: 2 },
  { args: ['rollback', '0001'], exit: 1 },
  { args: ['rewrite', '--yes', '0001_second'], exit: 1 },
];

async function everyCommandRefuses(p: TempProject, code: string | RegExp, mentions: (string | RegExp)[], commands = COMMANDS): Promise<void> {
  for (const { args, exit } of commands) await expectCommandRefusal(p, args, code, mentions, exit);
}

beforeAll(() => buildCli(), 180_000);
afterEach(() => {
  for (const p of projects.splice(0)) p.dispose();
});

describe('the journal', () => {
  it('a tag that leaves the folder (../) is refused by every command, and nothing outside is read', async () => {
    const p = await withHistory();
    // The file the tag points at exists: a command that followed the tag would lint or replay it.
    writeFileSync(join(p.dir, '..', `${p.dir.split('/').pop()}-outside.sql`), 'CREATE TABLE outside (id integer);');
    try {
      editJournal(p, (e) => void (e[1]!.tag = `../../${p.dir.split('/').pop()}-outside`));
      await everyCommandRefuses(p, 'D1-601', [JOURNAL, 'entries.1.tag']);
    } finally {
      rmSync(join(p.dir, '..', `${p.dir.split('/').pop()}-outside.sql`), { force: true });
    }
  });

  it('one tag listed twice is refused by every command, naming it', async () => {
    const p = await withHistory();
    editJournal(p, (e) => void (e[1]!.tag = e[0]!.tag));
    await everyCommandRefuses(p, 'D1-601', [JOURNAL, '0000_first']);
  });

  it('a postgresql journal is refused by every command', async () => {
    const p = await withHistory();
    const journal = readJson(p, JOURNAL);
    writeJson(p, JOURNAL, { ...journal, dialect: 'postgresql' });
    await everyCommandRefuses(p, 'D1-605', [JOURNAL, 'postgresql']);
  });

  it('a journal missing beside its snapshots is refused by lint and verify too, not reported clean', async () => {
    const p = await withHistory();
    rmSync(join(p.dir, JOURNAL));
    await everyCommandRefuses(p, 'D1-602', [JOURNAL], COMMANDS.filter((c) => c.args[0] !== 'rewrite'));
  });

  it('a journal that is a folder: a read error naming it, not "not valid JSON" or "is a file"', async () => {
    const p = await withHistory();
    rmSync(join(p.dir, JOURNAL));
    mkdirSync(join(p.dir, JOURNAL));
    writeFileSync(join(p.dir, JOURNAL, 'keep'), '');
    await everyCommandRefuses(p, 'D1-624', [JOURNAL, /is a folder, not a file/]);
  });

  it('entries whose idx goes down: generate names the journal, not an existing snapshot to rename', async () => {
    const p = await withHistory();
    editJournal(p, (e) => {
      e[0]!.idx = 1;
      e[1]!.idx = 0;
    });
    await expectCommandRefusal(p, ['generate', '--name', 'third'], 'D1-601', [JOURNAL, '0001_second', 'idx']);
  });
});

describe('migration files', () => {
  it('a .sql path that is a folder: a read error naming it from every command, no crash', async () => {
    const p = await withHistory();
    rmSync(join(p.out, '0001_second.sql'));
    mkdirSync(join(p.out, '0001_second.sql'));
    writeFileSync(join(p.out, '0001_second.sql', 'keep'), '');
    await everyCommandRefuses(p, /D1-6(10|24)/, ['drizzle/0001_second.sql']);
  });

  it('a snapshot that is a folder: a read error naming it', async () => {
    const p = await withHistory();
    rmSync(join(p.out, 'meta', '0001_snapshot.json'));
    mkdirSync(join(p.out, 'meta', '0001_snapshot.json'));
    writeFileSync(join(p.out, 'meta', '0001_snapshot.json', 'keep'), '');
    await everyCommandRefuses(p, 'D1-624', ['drizzle/meta/0001_snapshot.json', /is a folder, not a file/], COMMANDS.filter((c) => c.args[0] !== 'lint'));
  });
});

describe('lint given a file path', () => {
  it('a path outside the folder is refused even when its file name is one of the migrations', async () => {
    const p = await withHistory();
    p.write({ 'elsewhere/0001_second.sql': 'DROP TABLE users;' });
    await expectCommandRefusal(p, ['lint', 'elsewhere/0001_second.sql'], 'D1-616', ['elsewhere/0001_second.sql']);
  });

  it('the migration\'s own path, relative or absolute, is linted', async () => {
    const p = await withHistory();
    for (const path of ['drizzle/0001_second.sql', join(p.out, '0001_second.sql'), './drizzle/0001_second.sql', '0001_second.sql', '0001_second']) {
      const r = await drizzleD1(p.dir, ['lint', '--json', path]);
      expect(r.exitCode, `${path}: ${r.stderr}`).toBe(0);
      expect(JSON.parse(r.stdout).files, path).toEqual(['drizzle/0001_second.sql']);
    }
  });
});

describe('a migration file that is not UTF-8', () => {
  it('lint says so with its line (wrangler would apply U+FFFD in place of the bytes), and exits 0 for a warning', async () => {
    const p = await withHistory();
    const sql = p.read('drizzle/0001_second.sql');
    writeFileSync(join(p.out, '0001_second.sql'), Buffer.concat([Buffer.from(`${sql}\n--> statement-breakpoint\nINSERT INTO users (id, name) VALUES (1, 'caf`), Buffer.from([0xe9]), Buffer.from("');")]));
    const r = await drizzleD1(p.dir, ['lint', '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.findings).toContainEqual(expect.objectContaining({ code: 'D1-420', severity: 'warning', file: 'drizzle/0001_second.sql', line: 3 }));
  });
});

describe('rewrite', () => {
  it('does not write a migration file the journal lists but that is missing', async () => {
    const p = await withHistory();
    rmSync(join(p.out, '0001_second.sql'));
    await expectCommandRefusal(p, ['rewrite', '--yes', '0001_second'], 'D1-610', ['drizzle/0001_second.sql']);
  });

  it('refuses to regenerate a migration from a snapshot it was not generated from (journal entries swapped)', async () => {
    const p = await withHistory();
    const journal = readJson(p, JOURNAL);
    journal.entries.reverse();
    writeJson(p, JOURNAL, journal);
    await expectCommandRefusal(p, ['rewrite', '--yes', '0001_second'], 'D1-613', ['drizzle/meta/0001_snapshot.json', "the journal's first migration"]);
  });

  it('a path outside the folder is refused even when its file name is one of the migrations', async () => {
    const p = await withHistory();
    p.write({ 'drizzle/0001_second.sql': 'ALTER TABLE `users` ADD `email` text;\n-- edited by hand\n', 'elsewhere/0001_second.sql': '-- not a migration\n' });
    await expectCommandRefusal(p, ['rewrite', '--yes', 'elsewhere/0001_second.sql'], 'D1-616', ['elsewhere/0001_second.sql']);
    const ok = await drizzleD1(p.dir, ['rewrite', '--yes', 'drizzle/0001_second.sql']);
    expect(ok.exitCode, ok.stderr).toBe(0);
    expect(p.read('drizzle/0001_second.sql')).toBe('ALTER TABLE `users` ADD `email` text;');
  });

  it('still rewrites a whole, healthy folder', async () => {
    const p = await withHistory();
    p.write({ 'drizzle/0001_second.sql': 'ALTER TABLE `users` ADD `email` text;\n-- edited by hand\n' });
    const before = treeOf(p);
    const r = await drizzleD1(p.dir, ['rewrite', '--yes', '0001_second']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(p.read('drizzle/0001_second.sql')).toBe('ALTER TABLE `users` ADD `email` text;');
    expect(Object.keys(treeOf(p))).toEqual(Object.keys(before));
  });
});
