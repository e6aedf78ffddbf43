import m0001 from './0001-initial';
import m0002 from './0002-asset-edits';
import m0003 from './0003-governance';
import m0004 from './0004-version-stacks';
import m0005 from './0005-content-history';
import m0006 from './0006-one-job-table';
import m0007 from './0007-more-types-and-facts';
import m0008 from './0008-asset-colors';
import m0009 from './0009-collections';
import m0010 from './0010-people';
import m0011 from './0011-file-text';
import m0012 from './0012-publishing';
import m0013 from './0013-auto-tags';
import m0014 from './0014-accounts';
import m0015 from './0015-sharing';
import m0016 from './0016-asset-crops';
import m0017 from './0017-more-endpoint-types';
import m0018 from './0018-usage';
import m0019 from './0019-directus-endpoints';

/** Numbered migrations, applied in order; the array index + 1 is the schema version they lead to. */
/**
 * `rebuildsTables`: the migration rebuilds a table others reference (SQLite cannot change a CHECK in
 * place), so it runs with foreign keys off and is checked before it commits (SQLite's documented
 * twelve-step procedure); with them on, dropping the old table would cascade into every child.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  rebuildsTables?: boolean;
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial', sql: m0001 },
  { version: 2, name: 'asset-edits', sql: m0002 },
  { version: 3, name: 'governance', sql: m0003 },
  { version: 4, name: 'version-stacks', sql: m0004 },
  { version: 5, name: 'content-history', sql: m0005 },
  { version: 6, name: 'one-job-table', sql: m0006 },
  { version: 7, name: 'more-types-and-facts', sql: m0007, rebuildsTables: true },
  { version: 8, name: 'asset-colors', sql: m0008 },
  { version: 9, name: 'collections', sql: m0009 },
  { version: 10, name: 'people', sql: m0010 },
  { version: 11, name: 'file-text', sql: m0011 },
  { version: 12, name: 'publishing', sql: m0012 },
  { version: 13, name: 'auto-tags', sql: m0013 },
  { version: 14, name: 'accounts', sql: m0014 },
  { version: 15, name: 'sharing', sql: m0015 },
  { version: 16, name: 'asset-crops', sql: m0016 },
  { version: 17, name: 'more-endpoint-types', sql: m0017, rebuildsTables: true },
  { version: 18, name: 'usage', sql: m0018 },
  { version: 19, name: 'directus-endpoints', sql: m0019, rebuildsTables: true },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;
