// UDHR translations -> web pages in other languages.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { htmlInner } from './html-text.js';
import type { PackageInfo, WebDoc } from './records.js';
import type { Screen } from './screen.js';
import { UDHR_LANGS, UDHR_MIN_WORDS } from './settings.js';
import { wordCount } from './shingles.js';

/** The declaration's preamble and articles, grouped so every page has enough words for quality filters. */
function udhrPages(html: string): string[] {
  const blocks: string[] = [];
  const header = /<header>([\s\S]*?)<\/header>/.exec(html)?.[1];
  if (header) blocks.push(udhrBlock(header));
  for (const m of html.matchAll(/<article\b[^>]*>([\s\S]*?)<\/article>/g)) blocks.push(udhrBlock(m[1] ?? ''));

  const pages: string[] = [];
  let current: string[] = [];
  let count = 0;
  for (const block of blocks) {
    current.push(block);
    count += wordCount(block);
    if (count >= UDHR_MIN_WORDS) {
      pages.push(current.join('\n\n'));
      current = [];
      count = 0;
    }
  }
  // A short tail would be a page too thin to pass quality filters, so it joins the page before it.
  if (current.length > 0) {
    const last = pages.pop();
    pages.push(last === undefined ? current.join('\n\n') : [last, ...current].join('\n\n'));
  }
  return pages;
}

function udhrBlock(html: string): string {
  const lines = [...html.matchAll(/<(h2|p|li)\b[^>]*>([\s\S]*?)<\/\1>/g)].map((m) => htmlInner(m[2] ?? ''));
  return lines.filter((l) => l.length > 0).join('\n');
}

export function loadUdhrWeb(pkg: PackageInfo, screen: Screen): WebDoc[] {
  const docs: WebDoc[] = [];
  for (const code of UDHR_LANGS) {
    const html = readFileSync(join(pkg.dir, 'declaration', `${code}.html`), 'utf8');
    const lang = (/<html\b[^>]*\blang="([^"]+)"/.exec(html)?.[1] ?? code).split('-')[0] ?? code;
    for (const text of udhrPages(html)) {
      if (!screen.accept(text)) continue;
      const url = `https://${lang}.example.org/udhr/${code}/${docs.length.toString(36)}`;
      docs.push({ text, url, lang });
    }
  }
  return docs;
}
