import { binOf as binOfValue, binRange, type Histogram } from './bins.js';
import { count, esc, num } from './html.js';

/** Small SVG charts, drawn here so the report needs no library and no script. */

export interface Bar {
  label: string;
  value: number;
  color: string;
  /** Drawn in red after the bar: what this step removed. */
  removed?: number;
}

/** Horizontal bars, one per row, labelled with their values: the funnel and other ranked counts. */
export function barChart(bars: Bar[], opts: { width?: number; labelWidth?: number; name: string }): string {
  const width = opts.width ?? 640;
  const labelW = opts.labelWidth ?? 190;
  const valueW = 70;
  const row = 20;
  const max = Math.max(1, ...bars.map((b) => b.value + (b.removed ?? 0)));
  const plotW = width - labelW - valueW;
  const rows = bars.map((b, i) => {
    const y = i * row;
    const w = Math.max(b.value > 0 ? 1 : 0, (b.value / max) * plotW);
    const rw = b.removed ? Math.max(1, (b.removed / max) * plotW) : 0;
    const removed = rw ? `<rect x="${(labelW + w).toFixed(1)}" y="${y + 3}" width="${rw.toFixed(1)}" height="${row - 6}" fill="#c2453a"><title>removed: ${count(b.removed!)}</title></rect>` : '';
    return (
      `<g data-label="${esc(b.label)}" data-value="${b.value}"><title>${esc(b.label)}: ${count(b.value)}</title>` +
      `<text x="${labelW - 6}" y="${y + 14}" text-anchor="end">${esc(truncate(b.label, 30))}</text>` +
      `<rect x="${labelW}" y="${y + 3}" width="${w.toFixed(1)}" height="${row - 6}" fill="${b.color}"/>${removed}` +
      `<text x="${(labelW + w + rw + 4).toFixed(1)}" y="${y + 14}">${count(b.value)}</text></g>`
    );
  });
  return `<svg class="chart bar-chart" data-chart="${esc(opts.name)}" role="img" aria-label="${esc(opts.name)}" width="${width}" height="${bars.length * row + 4}" viewBox="0 0 ${width} ${bars.length * row + 4}">${rows.join('')}</svg>`;
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}

export interface Series {
  name: string;
  hist: Histogram;
  color: string;
}

export interface Marker {
  value: number;
  label: string;
}

/**
 * The histograms of one measure on the report's fixed log bins (runtime/report/bins.ts), as overlaid bars on a
 * shared axis, with markers (thresholds) drawn where their values fall.
 */
export function histogramChart(series: Series[], opts: { name: string; markers?: Marker[]; width?: number; height?: number }): string {
  const width = opts.width ?? 330;
  const height = opts.height ?? 150;
  const pad = { l: 40, r: 18, t: 16, b: 30 };
  // Zeros (a count feature's usual value) get a line of text, not a bar: on a log axis they have no place.
  const zeros = series.map((s) => s.hist[0] ?? 0);
  const bins = series.flatMap((s) => Object.keys(s.hist).map(Number)).filter((b) => b > 0);
  const markerBins = (opts.markers ?? []).filter((m) => m.value > 0).map((m) => binOfValue(m.value));
  const zeroText = zeros.some((z) => z > 0) ? `<text x="${pad.l}" y="10">zeros: ${series.map((s, i) => `${esc(s.name)} ${count(zeros[i])}`).join(', ')}</text>` : '';
  if (bins.length === 0) return `<svg class="chart histogram" data-chart="${esc(opts.name)}" width="${width}" height="24" viewBox="0 0 ${width} 24">${zeroText || `<text x="${pad.l}" y="14">no values</text>`}</svg>`;
  const lo = Math.min(...bins, ...markerBins);
  const hi = Math.max(...bins, ...markerBins);
  const n = hi - lo + 1;
  const plotW = width - pad.l - pad.r;
  const plotH = height - pad.t - pad.b;
  const bw = plotW / n;
  const max = Math.max(1, ...series.flatMap((s) => Object.entries(s.hist).filter(([b]) => b !== '0').map(([, c]) => c)));
  const x = (bin: number) => pad.l + (bin - lo) * bw;
  const parts: string[] = [zeroText];
  for (const s of series) {
    for (const [b, c] of Object.entries(s.hist)) {
      if (b === '0') continue;
      const h = (c / max) * plotH;
      const { lo: from, hi: to } = binRange(Number(b));
      parts.push(`<rect x="${x(Number(b)).toFixed(1)}" y="${(pad.t + plotH - h).toFixed(1)}" width="${Math.max(1, bw - 0.5).toFixed(1)}" height="${h.toFixed(1)}" fill="${s.color}" fill-opacity="0.6"><title>${esc(s.name)}: ${count(c)} in [${num(from)}, ${num(to)})</title></rect>`);
    }
  }
  parts.push(`<line class="axis" x1="${pad.l}" y1="${pad.t + plotH}" x2="${width - pad.r}" y2="${pad.t + plotH}"/>`);
  parts.push(`<text x="${pad.l - 4}" y="${pad.t + 9}" text-anchor="end">${num(max)}</text><text x="${pad.l - 4}" y="${pad.t + plotH}" text-anchor="end">0</text>`);
  const ticks = Math.min(n, 4);
  for (let i = 0; i < ticks; i++) {
    const bin = lo + Math.round((i * (n - 1)) / Math.max(1, ticks - 1));
    parts.push(`<text x="${(x(bin) + bw / 2).toFixed(1)}" y="${height - 16}" text-anchor="middle">${num(binRange(bin).lo)}</text>`);
  }
  for (const m of opts.markers ?? []) {
    if (!(m.value > 0)) continue;
    const bin = binOfValue(m.value);
    const { lo: from, hi: to } = binRange(bin);
    const within = to > from && Number.isFinite(to) ? (Math.log(m.value) - Math.log(from)) / (Math.log(to) - Math.log(from)) : 0;
    const mx = x(bin) + within * bw;
    const anchor = mx > width * 0.7 ? 'end' : 'start';
    parts.push(`<g class="threshold" data-value="${m.value}"><line x1="${mx.toFixed(1)}" y1="${pad.t}" x2="${mx.toFixed(1)}" y2="${pad.t + plotH}" stroke="#111" stroke-width="1.5" stroke-dasharray="4 2"/><text x="${(mx + (anchor === 'end' ? -3 : 3)).toFixed(1)}" y="${height - 3}" text-anchor="${anchor}">${esc(m.label)}</text></g>`);
  }
  return `<svg class="chart histogram" data-chart="${esc(opts.name)}" role="img" aria-label="${esc(opts.name)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join('')}</svg>`;
}

/** Vertical bars over categories (language scores, cluster sizes, runs). */
export function columnChart(values: { label: string; value: number }[], opts: { name: string; color: string; width?: number; height?: number }): string {
  const width = opts.width ?? 330;
  const height = opts.height ?? 140;
  const pad = { l: 40, r: 6, t: 8, b: 22 };
  const plotW = width - pad.l - pad.r;
  const plotH = height - pad.t - pad.b;
  const max = Math.max(1, ...values.map((v) => v.value));
  const bw = plotW / Math.max(1, values.length);
  const every = Math.ceil(values.length / 8);
  const parts = values.map((v, i) => {
    const h = (v.value / max) * plotH;
    const x = pad.l + i * bw;
    const label = i % every === 0 ? `<text x="${(x + bw / 2).toFixed(1)}" y="${height - 8}" text-anchor="middle">${esc(v.label)}</text>` : '';
    return `<g data-label="${esc(v.label)}" data-value="${v.value}"><rect x="${x.toFixed(1)}" y="${(pad.t + plotH - h).toFixed(1)}" width="${Math.max(1, bw - 1).toFixed(1)}" height="${h.toFixed(1)}" fill="${opts.color}"><title>${esc(v.label)}: ${count(v.value)}</title></rect>${label}</g>`;
  });
  parts.push(`<line class="axis" x1="${pad.l}" y1="${pad.t + plotH}" x2="${width - pad.r}" y2="${pad.t + plotH}"/>`);
  parts.push(`<text x="${pad.l - 4}" y="${pad.t + 9}" text-anchor="end">${num(max)}</text><text x="${pad.l - 4}" y="${pad.t + plotH}" text-anchor="end">0</text>`);
  return `<svg class="chart columns" data-chart="${esc(opts.name)}" role="img" aria-label="${esc(opts.name)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join('')}</svg>`;
}
