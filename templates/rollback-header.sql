-- Rollback of {{migration}}, written by drizzle-d1.
-- {{purpose}}
-- wrangler d1 migrations apply and drizzle-orm's migrators never read this {{container}}: run it by hand.
-- Like every drizzle-d1 file it defers foreign keys and never switches them off: D1 runs it in one
-- transaction with foreign keys on, and a failing statement rolls all of it back.
--
-- What this file cannot bring back (take it from the backup, or use D1 Time Travel below):
{{cannotRestore}}
-- What this file deletes (the migration added it; whatever was written there since goes too):
{{deletes}}
-- When this file aborts (D1 rolls it back and nothing changes):
{{aborts}}
{{handWritten}}
--
-- Runbook:
--   1. Back up the database first:
--        npx wrangler d1 export {{db}} --remote --output {{backup}}
--   2. Run this file:
--        npx wrangler d1 execute {{db}} --remote --file {{file}}
--      (--file goes through D1's import; to send it as one query, as migrations apply sends a
--      migration: npx wrangler d1 execute {{db}} --remote --command "$(cat {{file}})")
--   3. Forget the migration, so that wrangler d1 migrations apply runs it again when you deploy it:
--        npx wrangler d1 execute {{db}} --remote --command "DELETE FROM {{migrationsTable}} WHERE name = '{{migration}}';"
--      (with drizzle-orm's migrator instead: DELETE FROM __drizzle_migrations WHERE {{ormRow}};)
--      To drop the migration for good, also change schema.ts back and delete
--      {{dropFiles}}.
--   Alternative: D1 Time Travel brings the whole database back to a moment before the migration,
--   with everything this file cannot restore, and loses every write made since that moment:
--        npx wrangler d1 time-travel info {{db}} --timestamp <a time before the migration>
--        npx wrangler d1 time-travel restore {{db}} --timestamp <unix time or RFC 3339 before the migration>
