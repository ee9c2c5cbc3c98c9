/** Options more than one command takes, declared once so that their names and help read the same. */
import type * as Commander from 'commander';

/** A repeatable option's values, in the order given. */
export const collect = (value: string, previous: string[] = []) => [...previous, value];

/** The planner's answers about existing rows (`generate`, `rewrite`). */
export const withRowAnswers = (command: Commander.Command): Commander.Command =>
  command
    .option('--backfill <table.column=sql>', 'value for existing rows of a NOT NULL column without a default; repeatable', collect)
    .option('--assume-not-null <table.column>', 'a column made NOT NULL that you checked holds no NULL; repeatable', collect);
