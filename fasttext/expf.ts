/**
 * float32 exp as the reference build computes it (fasttext.wasm.js links musl's expf), so that scores are
 * bit-identical to fastText's and not merely within an ulp: fround(Math.exp(x)) is correctly rounded
 * almost always, while musl's expf is off by one ulp on a few inputs in ten thousand, and those ulps show
 * in the scores.
 *
 * The method: x / ln2 * 32 = k + r with integer k and |r| <= 1/2, then
 * exp(x) = 2^(k/32) * 2^(r/32), where 2^(k/32) = 2^floor(k/32) * 2^((k mod 32)/32) comes from a table and
 * 2^(r/32) from a cubic, all in double, rounded to float once at the end.
 */

const fromBits = (bits: bigint): number => new Float64Array(new BigUint64Array([bits]).buffer)[0];
const fromFloatBits = (bits: number): number => new Float32Array(new Uint32Array([bits]).buffer)[0];

/** 2^(j/32) for j = 0..31, correctly rounded to double (bit patterns). */
const TWO_POW_J32 = new Float64Array(
  new BigUint64Array([
    0x3ff0000000000000n, 0x3ff059b0d3158574n, 0x3ff0b5586cf9890fn, 0x3ff11301d0125b51n, 0x3ff172b83c7d517bn, 0x3ff1d4873168b9aan, 0x3ff2387a6e756238n, 0x3ff29e9df51fdee1n,
    0x3ff306fe0a31b715n, 0x3ff371a7373aa9cbn, 0x3ff3dea64c123422n, 0x3ff44e086061892dn, 0x3ff4bfdad5362a27n, 0x3ff5342b569d4f82n, 0x3ff5ab07dd485429n, 0x3ff6247eb03a5585n,
    0x3ff6a09e667f3bcdn, 0x3ff71f75e8ec5f74n, 0x3ff7a11473eb0187n, 0x3ff82589994cce13n, 0x3ff8ace5422aa0dbn, 0x3ff93737b0cdc5e5n, 0x3ff9c49182a3f090n, 0x3ffa5503b23e255dn,
    0x3ffae89f995ad3adn, 0x3ffb7f76f2fb5e47n, 0x3ffc199bdd85529cn, 0x3ffcb720dcef9069n, 0x3ffd5818dcfba487n, 0x3ffdfc97337b9b5fn, 0x3ffea4afa2a490dan, 0x3fff50765b6e4540n,
  ]).buffer,
);
/** 32 / ln 2 (0x1.71547652b82fep+5). */
const INV_LN2_32 = fromBits(0x40471547652b82fen);
/** Adding then subtracting 1.5 * 2^52 rounds a double to the nearest integer, ties to even. */
const ROUND_SHIFT = 1.5 * 2 ** 52;
/** The cubic for 2^(r/32) - 1 = c0 r^3 + c1 r^2 + c2 r: ln2-series coefficients fitted by musl, scaled by 32^-n. */
const C0 = fromBits(0x3ebc6af84b912394n); // 0x1.c6af84b912394p-20
const C1 = fromBits(0x3f2ebfce50fac4f3n); // 0x1.ebfce50fac4f3p-13
const C2 = fromBits(0x3f962e42ff0c52d6n); // 0x1.62e42ff0c52d6p-6
/** Past these float32 values, exp overflows to +Infinity or underflows to 0. */
const OVERFLOW = fromFloatBits(0x42b17217); // 0x1.62e42ep+6
const UNDERFLOW = fromFloatBits(0xc2cff1b4); // -0x1.9fe368p+6

/** 2^q for the q that finite results need, exact (powers of two by repeated doubling and halving). */
const POW2_MIN = -160;
const POW2 = new Float64Array(300);
POW2[-POW2_MIN] = 1;
for (let q = 1; q - POW2_MIN < POW2.length; q++) POW2[q - POW2_MIN] = POW2[q - 1 - POW2_MIN] * 2;
for (let q = -1; q >= POW2_MIN; q--) POW2[q - POW2_MIN] = POW2[q + 1 - POW2_MIN] / 2;

/** e^x for a float32 `x`, as a float32 value. */
export function expf(x: number): number {
  if (!(Math.abs(x) < 88)) {
    if (Number.isNaN(x)) return x;
    if (x > OVERFLOW) return Infinity;
    if (x < UNDERFLOW) return 0;
  }
  const z = INV_LN2_32 * x;
  const k = z + ROUND_SHIFT - ROUND_SHIFT;
  const r = z - k;
  const j = k & 31;
  const s = TWO_POW_J32[j] * POW2[(k - j) / 32 - POW2_MIN];
  const y = (C0 * r + C1) * (r * r) + (C2 * r + 1);
  return Math.fround(y * s);
}
