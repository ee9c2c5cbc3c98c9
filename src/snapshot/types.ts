/**
 * drizzle-kit's SQLite snapshot (version "6") and journal (version "7"), as typed data and as zod
 * schemas for validating files read from a migrations folder. Field order in these types is the
 * order drizzle-kit writes; `writeSnapshot` relies on it for byte-identical output.
 */
// zod's v3 API (shipped inside zod 4): it loads in ~15 ms where zod 4 classic takes ~100 ms, and
// generate runs many times a day.
import { z } from 'zod/v3';

export const ZERO_ID = '00000000-0000-0000-0000-000000000000';

const fkAction = z.string();

export const columnSchema = z.object({
  name: z.string(),
  type: z.string(),
  primaryKey: z.boolean(),
  notNull: z.boolean(),
  autoincrement: z.boolean().optional(),
  generated: z.object({ as: z.string(), type: z.enum(['stored', 'virtual']) }).optional(),
  default: z.any().optional(),
});

export const indexSchema = z.object({
  name: z.string(),
  columns: z.array(z.string()),
  where: z.string().optional(),
  isUnique: z.boolean(),
});

export const foreignKeySchema = z.object({
  name: z.string(),
  tableFrom: z.string(),
  tableTo: z.string(),
  columnsFrom: z.array(z.string()),
  columnsTo: z.array(z.string()),
  onDelete: fkAction.optional(),
  onUpdate: fkAction.optional(),
});

export const compositePkSchema = z.object({ columns: z.array(z.string()), name: z.string().optional() });
export const uniqueSchema = z.object({ name: z.string(), columns: z.array(z.string()) });
export const checkSchema = z.object({ name: z.string(), value: z.string() });

export const tableSchema = z.object({
  name: z.string(),
  columns: z.record(z.string(), columnSchema),
  indexes: z.record(z.string(), indexSchema),
  foreignKeys: z.record(z.string(), foreignKeySchema),
  compositePrimaryKeys: z.record(z.string(), compositePkSchema),
  uniqueConstraints: z.record(z.string(), uniqueSchema).default({}),
  checkConstraints: z.record(z.string(), checkSchema).default({}),
});

export const viewSchema = z.object({
  columns: z.record(z.string(), columnSchema),
  name: z.string(),
  isExisting: z.boolean(),
  definition: z.string().optional(),
});

export const snapshotSchema = z.object({
  version: z.literal('6'),
  dialect: z.literal('sqlite'),
  id: z.string(),
  prevId: z.string(),
  tables: z.record(z.string(), tableSchema),
  views: z.record(z.string(), viewSchema).default({}),
  enums: z.object({}).passthrough().default({}),
  _meta: z
    .object({
      schemas: z.record(z.string(), z.string()).default({}),
      tables: z.record(z.string(), z.string()),
      columns: z.record(z.string(), z.string()),
    })
    .default({ schemas: {}, tables: {}, columns: {} }),
  internal: z
    .object({
      indexes: z
        .record(z.string(), z.object({ columns: z.record(z.string(), z.object({ isExpression: z.boolean().optional() })) }))
        .optional(),
    })
    .optional(),
});

export const journalEntrySchema = z.object({
  idx: z.number().int().nonnegative(),
  version: z.string(),
  when: z.number(),
  // The tag names `<out>/<tag>.sql`: a separator would put the file in another folder.
  tag: z.string().min(1).refine((t) => !/[\\/]/.test(t) && t !== '.' && t !== '..', 'a tag is a file name in the migrations folder, without "/" or "\\"'),
  breakpoints: z.boolean(),
});

export const journalSchema = z
  .object({
    version: z.string(),
    dialect: z.string(),
    entries: z.array(journalEntrySchema),
  })
  .superRefine((journal, ctx) => {
    const seen = new Set<string>();
    journal.entries.forEach((e, i) => {
      if (seen.has(e.tag)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['entries', i, 'tag'], message: `"${e.tag}" is listed twice (a migrator would apply it twice)` });
      seen.add(e.tag);
    });
  });

export type Column = z.infer<typeof columnSchema>;
export type Index = z.infer<typeof indexSchema>;
export type ForeignKey = z.infer<typeof foreignKeySchema>;
export type CompositePrimaryKey = z.infer<typeof compositePkSchema>;
export type UniqueConstraint = z.infer<typeof uniqueSchema>;
export type CheckConstraint = z.infer<typeof checkSchema>;
export type Table = z.infer<typeof tableSchema>;
export type View = z.infer<typeof viewSchema>;
export type Snapshot = z.infer<typeof snapshotSchema>;
export type Journal = z.infer<typeof journalSchema>;
export type JournalEntry = z.infer<typeof journalEntrySchema>;

/** The schema part of a snapshot: what the serializer produces from the user's Drizzle schema. */
export interface SchemaState {
  tables: Record<string, Table>;
  views: Record<string, View>;
  internal?: Snapshot['internal'];
}

export const emptyState = (): SchemaState => ({ tables: {}, views: {}, internal: { indexes: {} } });
