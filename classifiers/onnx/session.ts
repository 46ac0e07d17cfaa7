import { existsSync } from 'node:fs';
import { ConfigError } from '../../core/errors.js';
import type { ModelInput } from '../../tokenizers/model-encoder.js';

type Ort = typeof import('onnxruntime-node');
type Session = import('onnxruntime-node').InferenceSession;

/** The inputs an exported sequence classifier may take; each is int64 [batch, tokens]. */
const KNOWN_INPUTS = ['input_ids', 'attention_mask', 'token_type_ids'] as const;
type InputName = (typeof KNOWN_INPUTS)[number];

/** An ONNX classifier session: rows of token ids in, one row of `outputs` floats per input row out. */
export interface ModelSession {
  readonly path: string;
  readonly inputNames: readonly string[];
  /** The tokens axis' fixed size when the model declares one. */
  readonly fixedTokens?: number;
  /** Runs rows of one length together (no padding); returns each row's outputs. */
  run(rows: readonly ModelInput[]): Promise<Float32Array[]>;
}

export interface SessionOptions {
  threads: number;
  /** No prepacking of weights, so those of a model.onnx.data stay mapped from the file, one copy for every session. */
  shareWeights?: boolean;
}

async function create(ort: Ort, path: string, { threads, shareWeights }: SessionOptions): Promise<Session> {
  if (!existsSync(path)) throw new ConfigError(`model ${path}: no such file`);
  try {
    return await ort.InferenceSession.create(path, {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      extra: shareWeights ? { session: { disable_prepacking: '1' } } : {},
    });
  } catch (err) {
    throw new ConfigError(`model ${path}: onnxruntime cannot load it as an ONNX model (${(err as Error).message.split('\n')[0]})`);
  }
}

function checkInputs(path: string, session: Session): InputName[] {
  const unknown = session.inputNames.filter((n) => !(KNOWN_INPUTS as readonly string[]).includes(n));
  if (unknown.length || !session.inputNames.includes('input_ids')) {
    throw new ConfigError(
      `model ${path}: takes inputs ${JSON.stringify(session.inputNames)}; a sequence classifier takes input_ids and optionally attention_mask and token_type_ids`,
    );
  }
  return session.inputNames as InputName[];
}

/** The tokens axis of input_ids when it is a number rather than a symbolic dimension. */
function fixedTokens(session: Session): number | undefined {
  const meta = session.inputMetadata.find((m) => m.name === 'input_ids');
  const dim = meta && meta.isTensor ? meta.shape[1] : undefined;
  return typeof dim === 'number' && dim > 0 ? dim : undefined;
}

function tensorFor(ort: Ort, name: InputName, rows: readonly ModelInput[], length: number): import('onnxruntime-node').Tensor {
  const data = new BigInt64Array(rows.length * length);
  rows.forEach((row, r) => {
    const values = name === 'input_ids' ? row.ids : name === 'token_type_ids' ? row.typeIds : undefined;
    for (let i = 0; i < length; i++) data[r * length + i] = BigInt(values ? values[i] : 1);
  });
  return new ort.Tensor('int64', data, [rows.length, length]);
}

export async function openSession(path: string, options: SessionOptions): Promise<ModelSession> {
  const ort = await import('onnxruntime-node');
  const session = await create(ort, path, options);
  const inputs = checkInputs(path, session);
  const output = session.outputNames.includes('logits') ? 'logits' : session.outputNames[0];
  return {
    path,
    inputNames: inputs,
    fixedTokens: fixedTokens(session),
    async run(rows) {
      const length = rows[0].ids.length;
      if (rows.some((r) => r.ids.length !== length)) throw new Error('rows of one run must have one length');
      const feeds = Object.fromEntries(inputs.map((name) => [name, tensorFor(ort, name, rows, length)]));
      const result = (await session.run(feeds))[output];
      const values = result.data as Float32Array;
      if (result.type !== 'float32' || result.dims.length !== 2 || result.dims[0] !== rows.length) {
        throw new ConfigError(`model ${path}: output ${output} is ${result.type} ${JSON.stringify(result.dims)}; expected float32 [batch, outputs]`);
      }
      const width = Number(result.dims[1]);
      return rows.map((_, r) => values.slice(r * width, (r + 1) * width));
    },
  };
}
