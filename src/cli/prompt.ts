/**
 * The terminal rename prompt, as drizzle-kit users know it: for each new name in an ambiguous scope,
 * "create" or "rename from" one of the names that disappeared (arrow keys, Enter).
 */
import type { Ambiguity } from '../diff/types.js';
import type { RenameResolver } from '../generate.js';

export interface PromptIO {
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
}

export function terminalResolver(io: PromptIO = {}): RenameResolver {
  return async (amb: Ambiguity) => {
    const { select } = await import('@inquirer/prompts');
    const answers: Record<string, string> = {};
    const remaining = [...amb.removed];
    const what = amb.kind === 'table' ? 'table' : 'column';
    for (const added of amb.added) {
      if (!remaining.length) break;
      const scope = amb.kind === 'column' ? ` in ${amb.table} table` : '';
      const choice = await select(
        {
          message: `Is ${added} ${what}${scope} created or renamed from another ${what}?`,
          choices: [
            { name: `+ ${added}  create ${what}`, value: '' },
            ...remaining.map((r) => ({ name: `~ ${r} › ${added}  rename ${what}`, value: r })),
          ],
        },
        { input: io.input, output: io.output } as never,
      );
      if (choice) {
        answers[choice] = added;
        remaining.splice(remaining.indexOf(choice), 1);
      }
    }
    return answers;
  };
}
