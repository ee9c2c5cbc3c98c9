/** The SQL tokenizer lives in src/sqltext/, shared by every stage; re-exported for d1/ callers. */
export * from '../sqltext/tokens.js';
