export type NormalizePreset = 'zyda' | 'datatrove';

/**
 * Each preset's version, kept in a saved dedup index's fingerprint: a change that alters any document's words
 * bumps it, so an index made before is refused instead of silently matching nothing.
 */
export const NORMALIZE_VERSIONS: Record<NormalizePreset, number> = { zyda: 2, datatrove: 1 };
