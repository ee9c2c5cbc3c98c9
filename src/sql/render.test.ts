import { describe, expect, it } from 'vitest';
import { col, fk, pk, table } from '../../test/support/state.js';
import type { Plan, StepCommand } from '../plan/types.js';
import { createIndexSql, createTableSql, renderMigration, stepSql } from './render.js';

const emptyPlan = (steps: StepCommand[]): Plan => ({ steps: steps.map((s) => ({ ...s, reason: 'test', sources: [] })), diagnostics: [] });

describe('SQL rendering', () => {
  it("writes CREATE TABLE exactly as drizzle-kit 0.31 does", () => {
    const t = table('post_tags', [col('post_id', 'integer', { notNull: true }), col('tag', 'text', { notNull: true, default: "'x'" })], {
      fks: [fk('post_tags', 'post_id', 'posts')],
      compositePrimaryKeys: { post_tags_post_id_tag_pk: { columns: ['post_id', 'tag'], name: 'post_tags_post_id_tag_pk' } },
      checkConstraints: { c: { name: 'c', value: '"post_tags"."tag" <> \'\'' } },
    });
    expect(createTableSql(t)).toBe(
      'CREATE TABLE `post_tags` (\n\t`post_id` integer NOT NULL,\n\t`tag` text DEFAULT \'x\' NOT NULL,\n\tPRIMARY KEY(`post_id`, `tag`),\n' +
        '\tFOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE no action,\n' +
        '\tCONSTRAINT "c" CHECK("post_tags"."tag" <> \'\')\n);\n',
    );
  });

  it('points a rebuilt table at its physical name and redirected parents', () => {
    const t = table('c', [pk(), col('ref', 'integer'), col('g', 'text', { generated: { as: '("c"."ref" + 1)', type: 'stored' } })], {
      fks: [fk('c', 'ref', 'p', 'cascade')],
      checkConstraints: { k: { name: 'k', value: '"c"."ref" > 0' } },
    });
    const sql = createTableSql(t, '__new_c', { p: '__new_p' });
    expect(sql).toContain('CREATE TABLE `__new_c`');
    expect(sql).toContain('REFERENCES `__new_p`(`id`) ON UPDATE no action ON DELETE cascade');
    expect(sql).toContain('CHECK("__new_c"."ref" > 0)');
    expect(sql).toContain('GENERATED ALWAYS AS ("__new_c"."ref" + 1) STORED');
  });

  it('leaves expression index columns unquoted', () => {
    expect(createIndexSql('users', { name: 'ix', columns: ['lower("email")', 'id'], isUnique: true, where: '"users"."id" > 0' }, ['lower("email")'])).toBe(
      'CREATE UNIQUE INDEX `ix` ON `users` (lower("email"),`id`) WHERE "users"."id" > 0;',
    );
  });

  it('renders copies with coalesce for backfilled NOT NULL columns', () => {
    expect(stepSql({ kind: 'copyRows', from: 't', to: '__new_t', columns: [{ name: 'a', from: 'a' }, { name: 'b', from: 'b', fallback: '0' }, { name: 'c', fallback: "'x'" }] })).toEqual([
      'INSERT INTO `__new_t`("a", "b", "c") SELECT "a", coalesce("b", 0), \'x\' FROM `t`;',
    ]);
  });

  it('guards with a named CHECK per foreign key, in plain SQL (no pragma function, never foreign_keys=OFF)', () => {
    const foreignKey = fk("o'brien", 'post_id', 'posts');
    const sql = renderMigration(emptyPlan([{ kind: 'deferForeignKeys', on: true }, { kind: 'guard', table: 'g', checks: [{ kind: 'noOrphans', code: 'D1-109', table: "o'brien", foreignKey }] }, { kind: 'deferForeignKeys', on: false }]), true);
    expect(sql).toBe(
      'PRAGMA defer_foreign_keys = ON;--> statement-breakpoint\n' +
        'CREATE TABLE `g` (`c0` INTEGER CONSTRAINT "D1-109: rows of o\'brien reference posts(id) through (post_id) with no matching row; delete or repair them first" CHECK (`c0` = 0));--> statement-breakpoint\n' +
        'INSERT INTO `g`(`c0`) SELECT count(*) FROM `o\'brien` AS "child" WHERE "child"."post_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM `posts` AS "parent" WHERE "parent"."id" = "child"."post_id");--> statement-breakpoint\n' +
        'DROP TABLE `g`;--> statement-breakpoint\n' +
        'PRAGMA defer_foreign_keys = OFF;',
    );
    expect(sql).not.toMatch(/pragma_|(?<!defer_)foreign_keys\s*=\s*OFF/i);
  });

  it('joins statements with newlines when breakpoints are off', () => {
    expect(renderMigration(emptyPlan([{ kind: 'dropIndex', name: 'a' }, { kind: 'dropView', name: 'v' }]), false)).toBe('DROP INDEX `a`;\nDROP VIEW `v`;');
  });
});
