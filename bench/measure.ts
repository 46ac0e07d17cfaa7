import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { ChildOutput } from './child.js';
import { CHILD, CLI } from './settings.js';

/** Runs one in-process case in a fresh node, so its maxRSS is its own; returns the JSON it printed. */
export async function runChild(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ChildOutput> {
  const { stdout } = await spawnNode([CHILD, ...args], env);
  const last = stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(last) as ChildOutput;
  } catch {
    throw new Error(`bench child ${args.join(' ')} printed no JSON: ${stdout.slice(-500)}`);
  }
}

export interface CliRun {
  /** Wall time of the whole process, start-up included: what a user waits for. */
  seconds: number;
  /** Peak RSS of the node process (all its threads); null where /proc is missing (not Linux). */
  max_rss_kb: number | null;
}

/**
 * Runs the real CLI. Its RSS cannot come from process.resourceUsage() (that is the parent's), so we poll
 * VmHWM in /proc/<pid>/status: VmHWM is the kernel's own high-water mark, so the last value read is the
 * peak up to ~50 ms before exit. This needs no /usr/bin/time, which many machines lack. The zstd
 * decompressor processes the CLI spawns are not included; they hold a few MB each.
 */
export async function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  let hwm: number | null = null;
  const t0 = performance.now();
  await spawnNode([CLI, ...args], env, (pid) => {
    const timer = setInterval(() => {
      const kb = vmHwmKb(pid);
      if (kb !== null) hwm = Math.max(hwm ?? 0, kb);
    }, 50);
    return () => clearInterval(timer);
  });
  return { seconds: (performance.now() - t0) / 1000, max_rss_kb: hwm };
}

function vmHwmKb(pid: number): number | null {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null; // not Linux, or the process just exited
  }
}

async function spawnNode(args: string[], env: NodeJS.ProcessEnv, watch?: (pid: number) => () => void): Promise<{ stdout: string }> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const stop = child.pid !== undefined && watch ? watch(child.pid) : () => {};
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr = (stderr + s).slice(-4000)));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  stop();
  if (code !== 0) throw new Error(`node ${args.join(' ')} exited with ${code}:\n${stderr.trim()}`);
  return { stdout };
}

/** The median, which one noisy run cannot drag the way it drags a mean; the mean of the middle two for even counts. */
export function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
