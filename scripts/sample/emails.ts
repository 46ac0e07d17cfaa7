// SpamAssassin -> emails.

import { join } from 'node:path';
import { emailBody } from './mime.js';
import { readJson } from './packages.js';
import type { EmailRec, PackageInfo } from './records.js';
import type { Screen } from './screen.js';
import { EMAIL_QUOTAS, EMAIL_STRIDE } from './settings.js';
import { wordCount } from './shingles.js';

/** Visits every stride-th file first, then fills in, so a quota samples the whole folder rather than its start. */
function strided<T>(items: readonly T[], stride: number): T[] {
  const out: T[] = [];
  for (let offset = 0; offset < stride; offset++) {
    for (let i = offset; i < items.length; i += stride) out.push(items[i] as T);
  }
  return out;
}

export function loadEmails(pkg: PackageInfo, screen: Screen): EmailRec[] {
  const fileList = readJson<string[]>(join(pkg.dir, 'data', 'file_list.json'));
  const out: EmailRec[] = [];
  for (const [group, quota] of Object.entries(EMAIL_QUOTAS)) {
    const files = fileList.filter((f) => f.startsWith(`${group}/`));
    let taken = 0;
    for (const file of strided(files, EMAIL_STRIDE)) {
      if (taken >= quota) break;
      const data = readJson<{ id: string; text: string }>(join(pkg.dir, 'data', file.replace(/\.txt$/, '.json')));
      const body = emailBody(data.text);
      const n = wordCount(body.text);
      if (n < 40 || n > 1500) continue;
      if (!screen.accept(body.text)) continue;
      out.push({
        id: `${group}/${data.id}`,
        subject: body.subject,
        body: { text: body.text, content_type: body.contentType },
        label: group.startsWith('spam') ? 'spam' : 'ham',
      });
      taken++;
    }
    if (taken < quota) throw new Error(`only ${taken} usable emails in ${group}, wanted ${quota}`);
  }
  return out;
}
