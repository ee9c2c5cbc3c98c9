/**
 * Foreign keys must name tables the schema contains. A parent that is no longer exported, or left
 * out when `schema` was narrowed to fewer files, would be dropped by the migration while its
 * children still reference it: the drop's ON DELETE actions would empty or null them, and every
 * later write to them would fail. Refused when the migration is generated.
 */
import type { SchemaState } from '../snapshot/types.js';
import { SchemaError } from './schema-error.js';

export function checkReferencedTables(state: SchemaState): void {
  for (const table of Object.values(state.tables)) {
    for (const fk of Object.values(table.foreignKeys)) {
      if (state.tables[fk.tableTo]) continue;
      throw new SchemaError(
        `Table "${table.name}" has a foreign key (${fk.columnsFrom.join(', ')}) to table "${fk.tableTo}", which the schema does not contain ` +
          `(it is not exported from the schema files, or they leave it out). Export "${fk.tableTo}" from a schema file, or remove the foreign key.`,
        'D1-560',
      );
    }
  }
}
