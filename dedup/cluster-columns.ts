import type { ColumnDef } from '../core/stage.js';

/** The cluster columns (with `cluster_columns: true`): the kept member's id hash and the cluster's size. */
export const CLUSTER_ID = 'dup_cluster_id';
export const CLUSTER_SIZE = 'dup_cluster_size';

/** Declared with keptOnly: a removed duplicate gets no cluster columns. A doc in no cluster gets the fills. */
export const CLUSTER_COLUMNS: ColumnDef[] = [
  { name: CLUSTER_ID, type: 'string', fill: '', keptOnly: true },
  { name: CLUSTER_SIZE, type: 'int32', fill: 1, keptOnly: true },
];
