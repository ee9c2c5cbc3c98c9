/**
 * POSIX shell single quotes: everything between them is literal, and a single quote itself is
 * written as `'\''` (close, an escaped quote, reopen). A line printed this way pastes into sh, bash
 * and zsh as it is, whatever the table and column names hold.
 */
export const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
