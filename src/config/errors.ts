/**
 * Bad input from the user (config, schema, migrations folder, a change that cannot be made safely).
 * The message is one paragraph naming the file and saying what to do; the CLI prints it and exits 1
 * without writing anything.
 */
export class UserInputError extends Error {
  constructor(
    message: string,
    public readonly file?: string,
  ) {
    super(message);
    this.name = 'UserInputError';
  }
}
