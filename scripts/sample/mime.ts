// Just enough MIME to get an email's subject and readable body: multipart, transfer encodings, RFC 2047.

import { htmlToText, tidyText } from './html-text.js';

interface MimePart {
  headers: Map<string, string>;
  body: string;
}

function splitHeaders(raw: string): MimePart {
  const text = raw.replace(/\r\n/g, '\n');
  const headers = new Map<string, string>();
  if (text.startsWith('\n')) return { headers, body: text.slice(1) };
  const cut = text.indexOf('\n\n');
  const head = cut < 0 ? text : text.slice(0, cut);
  const body = cut < 0 ? '' : text.slice(cut + 2);
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return { headers, body };
}

function headerParam(value: string, param: string): string | undefined {
  const m = new RegExp(`${param}\\s*=\\s*"?([^";]+)"?`, 'i').exec(value);
  return m?.[1]?.trim();
}

/** Characters above 0xff cannot be raw bytes; keep them as UTF-8 so nothing is lost. */
function stringToBytes(text: string): Buffer {
  const parts: Buffer[] = [];
  let latin = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 256) {
      latin += ch;
    } else {
      parts.push(Buffer.from(latin, 'latin1'), Buffer.from(ch, 'utf8'));
      latin = '';
    }
  }
  parts.push(Buffer.from(latin, 'latin1'));
  return Buffer.concat(parts);
}

function decodeBytes(bytes: Buffer, charset: string | undefined): string {
  return /utf-?8/i.test(charset ?? '') ? bytes.toString('utf8') : bytes.toString('latin1');
}

function decodeQuotedPrintable(text: string, charset: string | undefined): string {
  const joined = text.replace(/=\n/g, '');
  const bytes: number[] = [];
  const raw = stringToBytes(joined);
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i] ?? 0;
    if (b === 0x3d && i + 2 < raw.length) {
      const hex = String.fromCharCode(raw[i + 1] ?? 0, raw[i + 2] ?? 0);
      if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
        bytes.push(parseInt(hex, 16));
        i += 2;
        continue;
      }
    }
    bytes.push(b);
  }
  return decodeBytes(Buffer.from(bytes), charset);
}

function decodeTransfer(part: MimePart, charset: string | undefined): string {
  const encoding = (part.headers.get('content-transfer-encoding') ?? '').toLowerCase();
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(part.body, charset);
  if (encoding === 'base64') return decodeBytes(Buffer.from(part.body.replace(/\s+/g, ''), 'base64'), charset);
  return part.body;
}

interface Leaf {
  mime: string;
  text: string;
}

function mimeLeaves(part: MimePart, depth: number): Leaf[] {
  const contentType = part.headers.get('content-type') ?? 'text/plain';
  const mime = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  const boundary = headerParam(contentType, 'boundary');
  if (mime.startsWith('multipart/') && boundary && depth < 4) {
    const leaves: Leaf[] = [];
    for (const chunk of part.body.split(`--${boundary}`).slice(1)) {
      if (chunk.startsWith('--')) break;
      leaves.push(...mimeLeaves(splitHeaders(chunk.replace(/^[ \t]*\n/, '')), depth + 1));
    }
    return leaves;
  }
  if (mime !== 'text/plain' && mime !== 'text/html') return [];
  return [{ mime, text: decodeTransfer(part, headerParam(contentType, 'charset')) }];
}

/** Prefer the plain-text alternative; fall back to stripped HTML, as a mail archive crawler would. */
export function emailBody(raw: string): { text: string; contentType: string; subject: string } {
  const message = splitHeaders(raw);
  const leaves = mimeLeaves(message, 0);
  const plain = leaves.find((l) => l.mime === 'text/plain' && l.text.trim().length > 0);
  const html = leaves.find((l) => l.mime === 'text/html');
  const chosen = plain ?? html;
  const text = chosen ? tidyText(chosen.mime === 'text/html' ? htmlToText(chosen.text) : chosen.text) : '';
  return { text, contentType: chosen?.mime ?? 'text/plain', subject: decodeSubject(message.headers.get('subject') ?? '') };
}

/** RFC 2047 encoded words, e.g. =?iso-8859-1?Q?caf=E9?= */
function decodeSubject(subject: string): string {
  const decoded = subject.replace(/=\?([^?]+)\?([bq])\?([^?]*)\?=/gi, (_whole, charset: string, enc: string, data: string) =>
    enc.toLowerCase() === 'b'
      ? decodeBytes(Buffer.from(data, 'base64'), charset)
      : decodeQuotedPrintable(data.replace(/_/g, ' '), charset),
  );
  return decoded.replace(/\s+/g, ' ').trim();
}
