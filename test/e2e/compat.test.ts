import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, readManifestJson, tempDir, zyda } from '../helpers.js';

const hasPython = (mods: string) => spawnSync('python3', ['-c', `import ${mods}`], { stdio: 'ignore' }).status === 0;
const pyarrow = hasPython('pyarrow.parquet');
const datasets = hasPython('datasets');

const CHECK = `
import json, sys, glob, os
import pyarrow.parquet as pq
out = sys.argv[1]
m = json.load(open(os.path.join(out, 'manifest.json')))
res = {'rows': 0, 'tokens': 0, 'types': None, 'codecs': set()}
for src in m['sources'].values():
    for s in src['shards']:
        f = pq.ParquetFile(os.path.join(out, s['path']))
        t = f.read()
        res['rows'] += t.num_rows
        res['tokens'] += sum(t.column('token_count').to_pylist())
        res['types'] = {n: str(t.schema.field(n).type) for n in t.schema.names}
        for rg in range(f.metadata.num_row_groups):
            for c in range(f.metadata.num_columns):
                res['codecs'].add(f.metadata.row_group(rg).column(c).compression)
        for md in t.column('metadata').to_pylist():
            json.loads(md)
res['codecs'] = sorted(res['codecs'])
if len(sys.argv) > 2:
    os.environ['HF_DATASETS_OFFLINE'] = '1'
    from datasets import load_dataset
    ds = load_dataset('parquet', data_files={'train': os.path.join(out, 'data', '*', 'g%05d' % m['generation'], 'train-*.parquet')}, split='train', cache_dir=sys.argv[2])
    res['hf_rows'] = ds.num_rows
    res['hf_first_id'] = ds[0]['id']
print(json.dumps(res))
`;

test('pyarrow and HF datasets read the shards, HF with the README\'s glob of the current generation', { skip: !pyarrow && 'python3 has no pyarrow here (pip install pyarrow datasets)' }, () => {
  const dir = tempDir();
  try {
    writeFileSync(join(dir, 'a.jsonl'), Array.from({ length: 500 }, (_, i) => JSON.stringify({ text: `document ${i} ünïcödé 漢字 ` + 'x'.repeat(i), tags: ['a', i] })).join('\n'));
    const out = join(dir, 'out');
    // A rerun with another config: the previous generation's shards stay beside the new ones until the next run.
    for (const rows of ['50', '100']) {
      const r = zyda(['tokens', '--input', join(dir, 'a.jsonl'), '--source', 'web', '-o', out, '--row-group-rows', rows]);
      assert.equal(r.code, 0, r.stderr);
    }
    const py = spawnSync('python3', ['-c', CHECK, out, ...(datasets ? [join(dir, 'hf-cache')] : [])], { encoding: 'utf8' });
    assert.equal(py.status, 0, py.stderr);
    const res = JSON.parse(py.stdout) as { rows: number; tokens: number; types: Record<string, string>; codecs: string[]; hf_rows?: number; hf_first_id?: string };
    const m = readManifestJson(out);
    assert.equal(res.rows, m.totals.docs);
    assert.equal(res.tokens, m.totals.tokens);
    assert.deepEqual(res.types, { id: 'string', text: 'string', source: 'string', token_count: 'int32', metadata: 'string' });
    assert.deepEqual(res.codecs, ['ZSTD']);
    if (datasets) {
      assert.equal(res.hf_rows, 500);
      assert.equal(res.hf_first_id, 'web/a.jsonl#1');
    }
  } finally {
    cleanup(dir);
  }
});
