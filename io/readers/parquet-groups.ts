import type { RowGroup } from 'hyparquet';

/** A row group's size on disk: its column chunks, compressed. A task's bytes and its progress both count this. */
export function compressedBytes(group: RowGroup): number {
  return group.columns.reduce((sum, c) => sum + Number(c.meta_data?.total_compressed_size ?? 0n), 0);
}
