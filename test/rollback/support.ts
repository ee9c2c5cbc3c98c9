/**
 * Rollback proofs: a scenario's migration applied D1's way, then its down file, and what must hold
 * afterwards (the previous schema, every row minus what the header says cannot come back).
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/types.js';
import type { Row } from '../../src/d1/inspect.js';
import { rollbackPath } from '../../src/snapshot/layout.js';
import type { ScenarioRun } from '../support/scenario.js';

export const FORBIDDEN = [/(?<!defer_)foreign_keys\s*=\s*off/i, /\bBEGIN\b/i, /\bCOMMIT\b/i, /\bSAVEPOINT\b/i, /\bTEMP(ORARY)?\b/i];

/** The scenario's down file and the diagnostics its header names. */
export function downOf(run: ScenarioRun): { sql: string; diagnostics: Diagnostic[]; cannotRestore: Diagnostic[] } {
  const m = run.second.migration!;
  expect(m.rollback).not.toBeNull();
  const sql = readFileSync(rollbackPath(run.project.out, 'journal', m.tag), 'utf8');
  return { sql, diagnostics: m.rollback!.diagnostics, cannotRestore: m.rollback!.cannotRestore };
}

/** Every finding is named in the header, word for word. */
export function expectHeaderNames(sql: string, diagnostics: Diagnostic[]): void {
  for (const d of diagnostics) expect(sql, d.code).toContain(d.message.split('\n')[0]!.replace('the migration aborts (and D1 rolls it back)', 'this file aborts'));
}

const loose = (v: unknown) => (v === null ? null : typeof v === 'number' || /^-?\d+(\.\d+)?$/.test(String(v)) ? String(Number(v)) : String(v));

/**
 * Rows of every table of the previous version, as they must be after the down file: a table the
 * header says comes back empty is empty; a column it says cannot come back is left out; a column it
 * says was overwritten (NULLs filled, values converted) is compared where the value was not NULL,
 * loosely (3 and 3.0 are one value).
 */
export function expectRowsRestored(before: Record<string, Row[]>, after: Record<string, Row[]>, cannotRestore: Diagnostic[]): void {
  const diagnostics = cannotRestore;
  const emptied = new Set(diagnostics.filter((d) => d.code === 'D1-480' && !d.column).map((d) => d.table));
  const gone = new Set(diagnostics.filter((d) => (d.code === 'D1-480' || d.code === 'D1-483') && d.column).map((d) => `${d.table}.${d.column}`));
  const overwritten = new Set(diagnostics.filter((d) => d.code === 'D1-481').map((d) => `${d.table}.${d.column}`));
  for (const [table, rows] of Object.entries(before)) {
    expect(after[table], `table ${table} is back`).toBeDefined();
    if (emptied.has(table)) {
      expect(after[table], table).toEqual([]);
      continue;
    }
    const project = (r: Row, i: number) =>
      Object.fromEntries(
        Object.entries(r)
          .filter(([c]) => !gone.has(`${table}.${c}`))
          .map(([c, v]) => (overwritten.has(`${table}.${c}`) ? [c, rows[i]![c] === null ? '(filled)' : loose(v)] : [c, v])),
      );
    expect({ table, rows: after[table]!.map(project) }).toEqual({ table, rows: rows.map(project) });
  }
}
