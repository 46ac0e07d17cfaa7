import { sumCounts, type SourceAccounting } from '../../core/types.js';
import type { Manifest } from '../manifest.js';
import { histogramTotal } from './bins.js';
import { emptySourceReport, LANGUAGE_SCORE_BINS, mergeSourceReport, type DocSample, type ReportData, type SourceReport } from './data.js';
import { funnel } from './funnel.js';
import { count, esc, num, page, table } from './html.js';
import type { SampleCluster } from './clusters.js';
import { barChart, columnChart, histogramChart } from './svg.js';
import { GENERATION_META } from './generation-meta.js';


const KEPT = '#2f7d4f';
const DROPPED = '#c2453a';
const DUP = '#8a5cc2';
const NEUTRAL = '#3b6ea8';

/** What the report shows besides the manifest and the gathered data. */
export interface ReportInputs {
  manifest: Manifest;
  /** The output directory as the commands it suggests should name it. */
  output: string;
  data?: ReportData;
  clusters?: SampleCluster[];
  /** Peak resident memory of the process that ran the run, when it was measured. */
  peakRssBytes?: number;
  /** The run's keep_rejected output, where `zyda explain` finds a dropped doc. */
  keepRejected?: string;
}

/** The whole report: one HTML page, every number from the manifest or the gathered data. */
export function renderReport(r: ReportInputs): string {
  const m = r.manifest;
  const sources = Object.keys(m.accounting.by_source);
  const scopes: { name: string; accounting: SourceAccounting; data?: SourceReport }[] = [
    { name: 'all sources', accounting: m.accounting, data: r.data && totalOf(r.data) },
    ...sources.map((s) => ({ name: s, accounting: m.accounting.by_source[s], data: r.data?.sources[s] })),
  ];
  const sections = [
    section('funnel', 'Funnel', funnelBlock(scopes, m)),
    section('lengths', 'Document length', r.data ? scopes.map((s) => lengthsBlock(s.name, s.data!)).join('') : noData()),
    section('features', 'Filter features', r.data ? featuresBlock(scopes) : noData()),
    section('languages', 'Languages', r.data ? languagesBlock(scopes) : noData()),
    section('dedup', 'Duplicates', dedupBlock(m, r)),
    section('examples', 'Examples', r.data ? examplesBlock(r) : noData()),
    section('history', 'History', historyBlock(m)),
    section('facts', 'Run', facts(r)),
  ];
  const nav = `<nav>${sections.map((s) => `<a href="#${s.id}">${esc(s.title)}</a>`).join('')}</nav>`;
  const head = `<h1>${esc(m.name)}</h1><p class="muted">zyda report of <code>${esc(r.output)}</code>: ${count(m.accounting.read)} docs read, ${count(m.accounting.written)} written, ${count(m.totals.tokens)} tokens in ${count(m.totals.shards)} shards.</p>`;
  return page(`${m.name}: zyda report`, head + nav + sections.map((s) => s.html).join('\n'), { [GENERATION_META]: m.generation ?? 0 });
}

function section(id: string, title: string, body: string): { id: string; title: string; html: string } {
  return { id, title, html: `<section id="${id}" data-section="${id}"><h2>${esc(title)}</h2>${body}</section>` };
}

function noData(): string {
  return '<p class="muted">No report data in this output (it was written by a zyda without reports); rerun to gather it.</p>';
}

function totalOf(data: ReportData): SourceReport {
  const total = emptySourceReport();
  for (const s of Object.values(data.sources)) mergeSourceReport(total, s);
  return total;
}

function facts(r: ReportInputs): string {
  const m = r.manifest;
  const rows: (string | number)[][] = [
    ['dataset', esc(m.name)],
    ['created', esc(m.created_at)],
    ['zyda version', esc(m.zyda_version)],
    ['config sha256', `<code>${esc(m.config_sha256)}</code>`],
    ['tokenizer', esc(m.tokenizer)],
    ['stages', esc(m.stages.map((s) => s.kind).join(' → '))],
    ['generation', esc(m.generation ?? '')],
  ];
  rows.push(['peak memory (RSS)', r.peakRssBytes === undefined ? '<span class="muted">measured by the run only: see the report.html it wrote</span>' : `${num(r.peakRssBytes / 2 ** 20)} MiB`]);
  const timings = Object.entries(m.timings).map(([step, s]) => [esc(step), `${s.toFixed(3)} s`]);
  return `<div class="grid"><div>${table(['fact', 'value'], rows)}</div><div><h3>Timings per step</h3>${table(['step', 'time'], timings)}</div></div>`;
}

/** One funnel chart per scope, and one table: a column per scope, a row per step (docs left) and per reason (docs removed). */
function funnelBlock(scopes: { name: string; accounting: SourceAccounting }[], m: Manifest): string {
  const funnels = scopes.map((s) => ({ name: s.name, a: s.accounting, steps: funnel(s.accounting, m.stages) }));
  const charts = funnels.map(({ name, a, steps }) => {
    const bars = steps.map((s) => ({ label: s.label === 'read' || s.label === 'written' ? s.label : `after ${s.label}`, value: s.left, removed: sumCounts(s.removed), color: s.label === 'written' ? KEPT : NEUTRAL }));
    return `<figure data-funnel="${esc(name)}" data-read="${a.read}" data-written="${a.written}">${barChart(bars, { name: `funnel ${name}`, width: 320, labelWidth: 100 })}<figcaption>${esc(name)}: docs left after each step; red: removed there</figcaption></figure>`;
  });
  const labels = funnels[0].steps.map((s) => s.label);
  const rows: string[] = [];
  for (const label of labels) {
    const steps = funnels.map((f) => f.steps.find((s) => s.label === label));
    rows.push(`<tr data-step="${esc(label)}"><td><b>${esc(label)}</b></td>${steps.map((s, i) => `<td class="n" data-scope="${esc(funnels[i].name)}">${s ? count(s.left) : ''}</td>`).join('')}</tr>`);
    const reasons = [...new Set(steps.flatMap((s) => Object.keys(s?.removed ?? {})))].sort((a, b) => (steps[0]?.removed[b] ?? 0) - (steps[0]?.removed[a] ?? 0) || (a < b ? -1 : 1));
    for (const reason of reasons) {
      rows.push(`<tr data-reason="${esc(reason)}"><td>&nbsp;&nbsp;− ${esc(reason)}</td>${steps.map((s, i) => `<td class="n" data-scope="${esc(funnels[i].name)}">${s?.removed[reason] ? count(s.removed[reason]) : ''}</td>`).join('')}</tr>`);
    }
  }
  const head = `<thead><tr><th>step / removed by</th>${funnels.map((f) => `<th class="n">${esc(f.name)}</th>`).join('')}</tr></thead>`;
  return `<div class="grid">${charts.join('')}</div><table data-funnel-table>${head}<tbody>${rows.join('')}</tbody></table>`;
}

function legend(): string {
  return `<p class="legend"><span><i style="background:${KEPT}"></i>kept / passed</span><span><i style="background:${DROPPED}"></i>dropped</span><span><i style="border-left:2px dashed #111"></i>threshold the run used</span></p>`;
}

function lengthsBlock(name: string, d: SourceReport): string {
  const fig = (what: 'chars' | 'words' | 'tokens', caption: string) => {
    if (histogramTotal(d.kept[what]) + histogramTotal(d.dropped[what]) === 0) return '';
    const chart = histogramChart([{ name: 'kept', hist: d.kept[what], color: KEPT }, { name: 'dropped', hist: d.dropped[what], color: DROPPED }], { name: `${what} ${name}` });
    return `<figure>${chart}<figcaption>${esc(caption)}</figcaption></figure>`;
  };
  return `<h3>${esc(name)}</h3><p class="muted" data-lengths="${esc(name)}" data-kept="${d.kept.docs}" data-dropped="${d.dropped.docs}">${count(d.kept.docs)} kept, ${count(d.dropped.docs)} dropped (filters and duplicates); log-scale bins.</p><div class="grid">${fig('chars', 'characters per doc')}${fig('words', 'words per doc')}${fig('tokens', 'tokens per doc (tokens stage)')}</div>`;
}

function featuresBlock(scopes: { name: string; data?: SourceReport }[]): string {
  const total = scopes[0].data!;
  const filters = Object.keys(total.features);
  if (filters.length === 0) return '<p class="muted">No filter measured anything in this run.</p>';
  const out = [legend(), '<p class="muted">All sources. A 10% move of a threshold: <i>tighter</i> would drop that many more of the docs the filter passed, <i>looser</i> would pass that many of those it dropped (each counted on this feature alone).</p>'];
  for (const filter of filters) {
    out.push(`<h3>${esc(filter)}</h3>`);
    const figs: string[] = [];
    const moves: (string | number)[][] = [];
    for (const [feature, s] of Object.entries(total.features[filter])) {
      const markers = s.thresholds.map((t) => ({ value: t.value, label: `${t.bound === 'min' ? '≥' : '≤'} ${num(t.value)}` }));
      figs.push(`<figure data-feature="${esc(`${filter}.${feature}`)}">${histogramChart([{ name: 'passed', hist: s.passed, color: KEPT }, { name: 'dropped', hist: s.dropped, color: DROPPED }], { name: `${filter}.${feature}`, markers, width: 260, height: 130 })}<figcaption>${esc(feature)}</figcaption></figure>`);
      for (const t of s.thresholds) moves.push([esc(feature), `<code>${esc(t.option)}</code>`, num(t.value), t.tighter, t.looser]);
    }
    if (moves.length > 0) out.push(table(['feature', 'option', 'threshold', '10% tighter: more dropped', '10% looser: more kept'], moves, ` data-moves="${esc(filter)}"`));
    out.push(`<div class="grid">${figs.join('')}</div>`);
  }
  return out.join('');
}

function languagesBlock(scopes: { name: string; data?: SourceReport }[]): string {
  const total = scopes[0].data!;
  if (Object.keys(total.languages).length === 0) return '<p class="muted">No langid stage ran.</p>';
  const out: string[] = ['<p class="muted">Every doc langid labelled, kept or dropped.</p>'];
  for (const s of scopes) {
    const langs = Object.entries(s.data!.languages).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    if (langs.length === 0) continue;
    const shown = langs.slice(0, 15);
    const rest = langs.slice(15).reduce((n, [, c]) => n + c, 0);
    const bars = shown.map(([l, c]) => ({ label: l, value: c, color: NEUTRAL }));
    if (rest > 0) bars.push({ label: `${langs.length - 15} others`, value: rest, color: '#9aa3ad' });
    const scores = s.data!.language_scores.map((v, i) => ({ label: (i / LANGUAGE_SCORE_BINS).toFixed(2), value: v }));
    out.push(`<h3>${esc(s.name)}</h3><div class="grid" data-languages="${esc(s.name)}"><figure>${barChart(bars, { name: `languages ${s.name}`, width: 360, labelWidth: 90 })}<figcaption>docs per language</figcaption></figure><figure>${columnChart(scores, { name: `language scores ${s.name}`, color: NEUTRAL })}<figcaption>langid score (top label)</figcaption></figure></div><details><summary>every language (${langs.length})</summary>${table(['language', 'docs'], langs.map(([l, c]) => [esc(l), c]), ` data-language-table="${esc(s.name)}"`)}</details>`);
  }
  return out.join('');
}

interface PhaseReport {
  clusters: number;
  removed: Record<string, number>;
  removed_by?: Record<string, Record<string, number>>;
  cluster_sizes?: Record<string, number>;
  edges?: number;
  band_collisions?: number;
  rejected_by_verification?: number;
}

function dedupBlock(m: Manifest, r: ReportInputs): string {
  const reports = Object.entries(m.reports).filter(([, v]) => v && typeof v === 'object' && ('exact' in v || 'near' in v));
  if (reports.length === 0) return '<p class="muted">No dedup stage ran.</p>';
  const out: string[] = [];
  for (const [label, rep] of reports) {
    for (const phase of ['exact', 'near'] as const) {
      const p = (rep as Record<string, PhaseReport | undefined>)[phase];
      if (!p) continue;
      out.push(`<h3>${esc(label)}: ${phase} duplicates</h3>`);
      const sizes = Object.entries(p.cluster_sizes ?? {}).sort((a, b) => Number(a[0]) - Number(b[0])).map(([size, n]) => ({ label: size, value: n }));
      const sources = [...new Set([...Object.keys(p.removed_by ?? {}), ...Object.values(p.removed_by ?? {}).flatMap((x) => Object.keys(x))])].sort();
      const matrix = sources.map((loser) => [esc(loser), ...sources.map((winner) => p.removed_by?.[loser]?.[winner] ?? 0)]);
      let within = 0;
      let across = 0;
      for (const [loser, by] of Object.entries(p.removed_by ?? {})) for (const [winner, n] of Object.entries(by)) (loser === winner ? (within += n) : (across += n));
      const counts: (string | number)[][] = [['clusters', p.clusters], ['docs removed', sumCounts(p.removed)], ['removed within a source', within], ['removed across sources', across]];
      if (p.band_collisions !== undefined) counts.push(['band collisions (pairs × bands)', p.band_collisions], ['rejected by verification', p.rejected_by_verification ?? 0]);
      if (p.edges !== undefined) counts.push(['edges (verified pairs)', p.edges]);
      out.push(
        `<div class="grid" data-dedup="${phase}"><div>${table(['', 'count'], counts)}</div>` +
          (sizes.length ? `<figure>${columnChart(sizes, { name: `cluster sizes ${phase}`, color: DUP })}<figcaption>clusters by size</figcaption></figure>` : '') +
          (sources.length ? `<div><p class="muted">removed docs: row source lost to column source</p>${table(['lost ↓ / kept →', ...sources], matrix, ` data-matrix="${phase}"`)}</div>` : '') +
          '</div>',
      );
    }
  }
  if (r.clusters && r.clusters.length > 0) {
    out.push('<h3>Sample clusters</h3>');
    for (const c of r.clusters) {
      const rows = c.members.map((mm) => [`<code>${esc(mm.id)}</code>`, esc(mm.source), esc(mm.phase), mm.jaccard.toFixed(3), mm.kept ? 'kept' : 'removed', mm.snippet === undefined ? '' : `<div class="snippet">${esc(mm.snippet)}</div>`]);
      out.push(`<div class="example" data-cluster="${esc(c.cluster)}"><p>cluster <code>${esc(c.cluster)}</code> · <code>zyda inspect ${esc(shellQuote(r.output))} --cluster ${esc(c.cluster)}</code></p>${table(['id', 'source', 'phase', 'jaccard vs kept', 'status', 'text'], rows)}</div>`);
    }
  }
  return out.join('');
}

/** A path or id as a POSIX shell word. */
function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:#@+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function exampleList(samples: DocSample[], command: (s: DocSample) => string): string {
  return samples
    .map((s) => `<div class="example" data-doc-id="${esc(s.id)}"><p><code>${esc(s.id)}</code> · ${count(s.chars)} chars · <code>${esc(command(s))}</code></p><div class="snippet">${esc(s.snippet)}${s.chars > s.snippet.length ? '…' : ''}</div></div>`)
    .join('');
}

function examplesBlock(r: ReportInputs): string {
  const data = r.data!;
  const out: string[] = [`<p class="muted">Per source, up to ${data.examples_per_reason} docs per drop reason and kept, chosen by a hash of their ids (the same whatever the worker count); text cut at ${data.snippet_chars} characters.</p>`];
  const rejected = r.keepRejected;
  for (const [source, d] of Object.entries(data.sources)) {
    out.push(`<h3>${esc(source)}</h3>`);
    for (const [reason, samples] of Object.entries(d.examples)) {
      const dup = reason.startsWith('dedup/');
      const cmd = (s: DocSample) => (dup ? `zyda inspect ${shellQuote(r.output)} --doc ${shellQuote(s.id)}` : rejected ? `zyda explain ${shellQuote(rejected)} --id ${shellQuote(s.id)}` : `zyda explain <keep_rejected output or input files> --id ${shellQuote(s.id)}`);
      out.push(`<details open data-reason="${esc(reason)}"><summary><b>dropped: ${esc(reason)}</b></summary>${exampleList(samples, cmd)}</details>`);
    }
    if (d.kept_examples.length > 0) out.push(`<details open data-reason="kept"><summary><b>kept</b></summary>${exampleList(d.kept_examples, (s) => `zyda explain ${shellQuote(r.output)} --id ${shellQuote(s.id)}`)}</details>`);
  }
  return out.join('');
}

function historyBlock(m: Manifest): string {
  const h = m.history ?? [];
  if (h.length === 0) return '<p class="muted">Not an incremental output: one run made it.</p>';
  const rows = h.map((x) => [x.run, esc(x.created_at), x.files_added, x.docs_read, x.docs_added, x.tokens_added]);
  const chart = (key: 'docs_added' | 'tokens_added' | 'files_added') => `<figure>${columnChart(h.map((x) => ({ label: `#${x.run}`, value: x[key] })), { name: `history ${key}`, color: NEUTRAL })}<figcaption>${key.replace('_', ' ')} per run</figcaption></figure>`;
  return `<div class="grid">${chart('docs_added')}${chart('tokens_added')}${chart('files_added')}</div>${table(['run', 'at', 'files added', 'docs read', 'docs added', 'tokens added'], rows, ' data-history')}`;
}
