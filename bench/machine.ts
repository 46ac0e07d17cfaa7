import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';

/** What a reader needs to compare figures across machines. */
export function machineInfo() {
  return {
    cores: availableParallelism(),
    cpu: cpus()[0]?.model ?? 'unknown',
    memory_gb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    platform: `${process.platform}-${process.arch}`,
    node: process.version,
    zstd_cli: zstdVersion(),
    date: new Date().toISOString(),
    // Other load on a 2-core machine skews every figure; record it so a bad run can be recognised.
    loadavg_1m_at_end: Math.round(loadavg()[0] * 100) / 100,
  };
}

function zstdVersion(): string | null {
  try {
    const out = execFileSync('zstd', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return /v\d+\.\d+\.\d+/.exec(out)?.[0] ?? (out.trim() || null);
  } catch {
    return null;
  }
}
