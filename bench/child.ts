// One benchmark case per process, so the peak RSS it reports belongs to that case alone:
//   node dist/bench/child.js <read|read-ceiling|tokenize|filter|presets-words|classify|classify-onnx|write|dedup|spin|words|count> args…
// prints one JSON line: the case's figures plus max_rss_kb.

/** What a case measured; the parent turns these into rates. */
export interface CaseFigures {
  /** Time of the measured part only (no module loading, no preloading of input). */
  seconds: number;
  docs: number;
  /** UTF-8 bytes of the docs' text. */
  text_bytes: number;
  tokens?: number;
  extra?: Record<string, number | string>;
}

export interface ChildOutput extends CaseFigures {
  /** process.resourceUsage().maxRSS: peak RSS of this process, worker threads included, in KB. */
  max_rss_kb: number;
}

const CASES = ['read', 'read-ceiling', 'tokenize', 'filter', 'presets-words', 'classify', 'classify-onnx', 'write', 'dedup', 'spin', 'words', 'count'];

async function main(): Promise<void> {
  const [name, ...args] = process.argv.slice(2);
  if (!CASES.includes(name)) throw new Error(`usage: child.js <${CASES.join('|')}> args…`);
  // Imported lazily so a case's RSS does not include the modules of the others (tokenizer tables are large).
  const mod = (await import(`./case-${name}.js`)) as { run(args: string[]): Promise<CaseFigures> };
  const figures = await mod.run(args);
  const out: ChildOutput = { ...figures, max_rss_kb: process.resourceUsage().maxRSS };
  process.stdout.write(JSON.stringify(out) + '\n');
}

await main();
