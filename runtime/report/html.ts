/** HTML text: every character that could open markup or end an attribute is escaped. */
export function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** One formatter for every count: `toLocaleString` builds a new one per call, and a report shows thousands of counts. */
const COUNT = new Intl.NumberFormat('en-US');

/** A count as people read it: 12,345. */
export function count(n: number): string {
  return COUNT.format(n);
}

/** A measure shown on an axis or in a table: short, and without float noise. */
export function num(x: number): string {
  if (x === 0) return '0';
  if (!Number.isFinite(x)) return '∞';
  const a = Math.abs(x);
  if (a >= 1e6) return `${Number((x / 1e6).toPrecision(3))}M`;
  if (a >= 1e4) return `${Number((x / 1e3).toPrecision(3))}k`;
  return String(Number(x.toPrecision(3)));
}

export function table(header: string[], rows: (string | number)[][], attrs = ''): string {
  const cell = (v: string | number, tag: string) => (typeof v === 'number' ? `<${tag} class="n" data-value="${v}">${count(v)}</${tag}>` : `<${tag}>${v}</${tag}>`);
  return `<table${attrs}><thead><tr>${header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((v) => cell(v, 'td')).join('')}</tr>`).join('')}</tbody></table>`;
}

const STYLE = `
:root{--kept:#2f7d4f;--dropped:#c2453a;--dup:#8a5cc2;--err:#b07d16;--ink:#1d232a;--muted:#5d6670;--rule:#d9dde2}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--ink);margin:0 auto;max-width:1100px;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;border-bottom:2px solid var(--rule);padding-bottom:4px;margin-top:36px}
h3{font-size:15px;margin:22px 0 6px}nav a{margin-right:12px}
table{border-collapse:collapse;margin:6px 0 12px;font-size:13px}th,td{border-bottom:1px solid var(--rule);padding:3px 10px 3px 0;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.muted{color:var(--muted)}.grid{display:flex;flex-wrap:wrap;gap:10px 24px}.grid figure{margin:0}
figure figcaption{font-size:12px;color:var(--muted)}
svg text{font:11px system-ui,sans-serif;fill:var(--ink)}svg .axis{stroke:#8a939c;stroke-width:1}
.snippet{white-space:pre-wrap;word-break:break-word;font:12px/1.35 ui-monospace,Menlo,Consolas,monospace;background:#f5f6f8;padding:6px 8px;margin:2px 0 4px;max-height:9em;overflow:hidden}
code{font:12px ui-monospace,Menlo,Consolas,monospace;background:#f0f2f4;padding:1px 4px}
.legend span{display:inline-block;margin-right:14px}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px;vertical-align:-1px}
@media print{body{max-width:none;padding:0;font-size:11px}nav{display:none}h2{break-after:avoid}figure,table,.example{break-inside:avoid}.snippet{max-height:none;background:none;border-left:2px solid var(--rule)}a{color:inherit;text-decoration:none}}
`;

/** One self-contained page: no script, no external resource. */
export function page(title: string, body: string, meta: Record<string, string | number> = {}): string {
  const metas = Object.entries(meta).map(([k, v]) => `<meta name="${esc(k)}" content="${esc(v)}">`).join('');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">${metas}
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(title)}</title><style>${STYLE}</style></head>
<body>
${body}
</body></html>
`;
}
