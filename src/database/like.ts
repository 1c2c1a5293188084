/**
 * LIKE with `!` as the escape character (a backslash means different things to SQLite and
 * MariaDB): write `column LIKE :p ${ESCAPED}` with `p = containsPattern(text)`.
 */
export const ESCAPED = "ESCAPE '!'";

/** A pattern that matches `text` anywhere, its `%`, `_` and `!` taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[!%_]/g, (c) => `!${c}`)}%`;
}
