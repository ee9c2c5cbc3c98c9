/**
 * Which tables, views and columns a piece of SQL (a trigger body, a view's SELECT, an index's
 * expressions) names, found with the tokenizer against the relations the database really has.
 *
 * It is deliberately conservative, because the planner uses it to decide what to drop and recreate
 * around a rebuild, and missing a dependency breaks a migration while an extra one only recreates an
 * object needlessly: any identifier that names a column of a referenced relation counts as a use of
 * that column, unless a qualifier (`alias.col`, `NEW.col`) says which relation it belongs to.
 */
import type { Token } from '../sqltext/tokens.js';
import { nameOf, significantTokens, wordAt } from './sql-parse.js';

export type RelationKind = 'table' | 'virtual' | 'view';

export interface Relation {
  name: string;
  kind: RelationKind;
  /** Column names as the database reports them (pragma_table_xinfo), hidden columns included. */
  columns: string[];
}

/** A relation some SQL reads or writes, and which of its columns it names. */
export interface RelationUse {
  name: string;
  kind: RelationKind;
  /** In the relation's column order. */
  columns: string[];
}

/** SQLite's keywords (sqlite.org/lang_keywords.html): never an alias when bare. */
const KEYWORDS = new Set(
  (
    'ABORT ACTION ADD AFTER ALL ALTER ALWAYS ANALYZE AND AS ASC ATTACH AUTOINCREMENT BEFORE BEGIN BETWEEN BY ' +
    'CASCADE CASE CAST CHECK COLLATE COLUMN COMMIT CONFLICT CONSTRAINT CREATE CROSS CURRENT CURRENT_DATE ' +
    'CURRENT_TIME CURRENT_TIMESTAMP DATABASE DEFAULT DEFERRABLE DEFERRED DELETE DESC DETACH DISTINCT DO DROP ' +
    'EACH ELSE END ESCAPE EXCEPT EXCLUDE EXCLUSIVE EXISTS EXPLAIN FAIL FILTER FIRST FOLLOWING FOR FOREIGN FROM ' +
    'FULL GENERATED GLOB GROUP GROUPS HAVING IF IGNORE IMMEDIATE IN INDEX INDEXED INITIALLY INNER INSERT INSTEAD ' +
    'INTERSECT INTO IS ISNULL JOIN KEY LAST LEFT LIKE LIMIT MATCH MATERIALIZED NATURAL NO NOT NOTHING NOTNULL ' +
    'NULL NULLS OF OFFSET ON OR ORDER OTHERS OUTER OVER PARTITION PLAN PRAGMA PRECEDING PRIMARY QUERY RAISE ' +
    'RANGE RECURSIVE REFERENCES REGEXP REINDEX RELEASE RENAME REPLACE RESTRICT RETURNING RIGHT ROLLBACK ROW ROWS ' +
    'SAVEPOINT SELECT SET TABLE TEMP TEMPORARY THEN TIES TO TRANSACTION TRIGGER UNBOUNDED UNION UNIQUE UPDATE ' +
    'USING VACUUM VALUES VIEW VIRTUAL WHEN WHERE WINDOW WITH WITHOUT'
  ).split(' '),
);

const isIdentifier = (t: Token | undefined): t is Token => t !== undefined && (t.kind === 'word' || t.kind === 'quoted');

/** Relations by lower-cased name: SQLite compares identifiers case-insensitively (ASCII). */
export type RelationIndex = ReadonlyMap<string, Relation>;

export function indexRelations(relations: readonly Relation[]): RelationIndex {
  return new Map(relations.map((r) => [r.name.toLowerCase(), r]));
}

/** Words after which a name is a relation: `FROM t`, `JOIN t`, `INTO t`, `UPDATE t`, `x IN t`. */
const BEFORE_RELATION = new Set(['FROM', 'JOIN', 'INTO', 'UPDATE', 'TABLE', 'IN']);
/** `UPDATE OR IGNORE t`: the conflict words that can sit between UPDATE OR and the table. */
const CONFLICT = new Set(['ABORT', 'FAIL', 'IGNORE', 'REPLACE', 'ROLLBACK']);
/** Words that end a FROM list at their depth (after them a comma separates expressions). */
const END_OF_FROM = new Set(['WHERE', 'GROUP', 'ORDER', 'LIMIT', 'HAVING', 'WINDOW', 'UNION', 'EXCEPT', 'INTERSECT', 'RETURNING', 'SET', 'VALUES', 'SELECT']);

/**
 * Token indexes where a relation name stands: after FROM/JOIN/INTO/UPDATE/IN, and after a comma of
 * a FROM list (tracked per parenthesis depth, so a subquery's list ends with its parenthesis). A
 * name elsewhere (a column that happens to share a table's name) is not a relation.
 */
function relationPositions(tokens: readonly Token[], from: number, to: number): number[] {
  const out: number[] = [];
  const fromLists = new Set<number>();
  let depth = 0;
  for (let i = from; i < to; i++) {
    const t = tokens[i]!;
    const w = wordAt(tokens, i);
    if (t.text === '(') depth++;
    else if (t.text === ')') fromLists.delete(depth--);
    else if (t.kind === 'semi') fromLists.clear();
    if (w === 'FROM' || w === 'JOIN') fromLists.add(depth);
    else if (END_OF_FROM.has(w)) fromLists.delete(depth);
    const afterConflict = CONFLICT.has(w) && wordAt(tokens, i - 1) === 'OR' && wordAt(tokens, i - 2) === 'UPDATE';
    const listComma = t.text === ',' && fromLists.has(depth);
    if (!(BEFORE_RELATION.has(w) || afterConflict || listComma)) continue;
    let at = i + 1;
    if (tokens[at + 1]?.text === '.' && ['MAIN', 'TEMP'].includes(wordAt(tokens, at))) at += 2; // main.t
    if (w === 'IN' && tokens[at]?.text === '(') continue;
    out.push(at);
  }
  return out;
}

/** The alias after a relation name: `t AS x` or `t x` (a bare word that is not a keyword). */
function aliasAfter(tokens: readonly Token[], i: number): string | undefined {
  const next = tokens[i + 1];
  if (wordAt(tokens, i + 1) === 'AS' && isIdentifier(tokens[i + 2])) return nameOf(tokens[i + 2]);
  if (!isIdentifier(next) || tokens[i + 2]?.text === '.' || tokens[i + 2]?.text === '(') return undefined;
  if (next.kind === 'word' && KEYWORDS.has(next.text.toUpperCase())) return undefined;
  return nameOf(next);
}

/** The aliases `sql` declares for relations (`FROM users u`, `JOIN posts AS p`): alias (lower case) → relation name. */
export function declaredAliases(sql: string): Map<string, string> {
  const tokens = significantTokens(sql);
  const aliases = new Map<string, string>();
  for (const i of relationPositions(tokens, 0, tokens.length)) {
    const alias = isIdentifier(tokens[i]) ? aliasAfter(tokens, i) : undefined;
    if (alias !== undefined) aliases.set(alias.toLowerCase(), nameOf(tokens[i])!);
  }
  return aliases;
}

interface Scope {
  used: Map<Relation, Set<string>>;
  /** Lower-cased alias or relation name → relation. */
  names: Map<string, Relation>;
}

function collectRelations(tokens: readonly Token[], from: number, to: number, relations: RelationIndex, scope: Scope): void {
  for (const i of relationPositions(tokens, from, to)) {
    const t = tokens[i];
    const rel = isIdentifier(t) ? relations.get(nameOf(t)!.toLowerCase()) : undefined;
    if (rel === undefined) continue;
    if (!scope.used.has(rel)) scope.used.set(rel, new Set());
    scope.names.set(rel.name.toLowerCase(), rel);
    const alias = aliasAfter(tokens, i);
    if (alias !== undefined) scope.names.set(alias.toLowerCase(), rel);
  }
}

function addColumn(scope: Scope, rel: Relation, name: string): void {
  const column = rel.columns.find((c) => c.toLowerCase() === name.toLowerCase());
  if (column !== undefined) scope.used.get(rel)?.add(column);
}

/** `*` or `q.*` in a result column: every column of the relations it covers. */
function addStar(tokens: readonly Token[], i: number, scope: Scope): void {
  if (tokens[i - 1]?.text === '.') {
    const rel = scope.names.get((nameOf(tokens[i - 2]) ?? '').toLowerCase());
    if (rel !== undefined) for (const c of rel.columns) addColumn(scope, rel, c);
    return;
  }
  const prev = tokens[i - 1];
  const resultStart = prev?.text === ',' || ['SELECT', 'DISTINCT', 'ALL'].includes(wordAt(tokens, i - 1));
  if (!resultStart) return; // multiplication, count(*)
  for (const rel of scope.used.keys()) for (const c of rel.columns) addColumn(scope, rel, c);
}

function collectColumns(tokens: readonly Token[], from: number, to: number, scope: Scope): void {
  for (let i = from; i < to; i++) {
    const t = tokens[i]!;
    if (t.text === '*') addStar(tokens, i, scope);
    if (!isIdentifier(t) || tokens[i + 1]?.text === '.') continue;
    const name = nameOf(t)!;
    const qualifier = tokens[i - 1]?.text === '.' ? scope.names.get((nameOf(tokens[i - 2]) ?? '').toLowerCase()) : undefined;
    if (qualifier !== undefined) addColumn(scope, qualifier, name);
    else for (const rel of scope.used.keys()) addColumn(scope, rel, name);
  }
}

export interface UsesOptions {
  /** A trigger's table: what `NEW.` and `OLD.` qualify, and always a use. */
  triggerTable?: Relation;
  /** An index's or table's own relation, always a use (its columns appear unqualified). */
  self?: Relation;
}

/** The relations and columns named in tokens[from, to), sorted by relation name. */
export function relationUses(
  tokens: readonly Token[],
  from: number,
  to: number,
  relations: RelationIndex,
  options: UsesOptions = {},
): RelationUse[] {
  const scope: Scope = { used: new Map(), names: new Map() };
  for (const own of [options.triggerTable, options.self]) {
    if (own === undefined) continue;
    scope.used.set(own, new Set());
    scope.names.set(own.name.toLowerCase(), own);
  }
  if (options.triggerTable) {
    scope.names.set('new', options.triggerTable);
    scope.names.set('old', options.triggerTable);
  }
  collectRelations(tokens, from, to, relations, scope);
  collectColumns(tokens, from, to, scope);
  return [...scope.used]
    .map(([rel, cols]) => ({ name: rel.name, kind: rel.kind, columns: rel.columns.filter((c) => cols.has(c)) }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
