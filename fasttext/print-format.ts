/**
 * A number as C++ iostreams print it by default (`std::cout << x`): printf's %g with 6 significant digits,
 * which is how `fasttext predict-prob` prints probabilities. %g rounds the exact binary value half to even;
 * JavaScript's toExponential rounds exact ties up, so ties are settled apart.
 */
export function formatLikeCout(x: number): string {
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  const sign = x < 0 ? '-' : '';
  const [digits, exp] = sixDigits(Math.abs(x));
  if (exp < -4 || exp >= 6) {
    const mantissa = trimZeros(digits[0] + '.' + digits.slice(1));
    return `${sign}${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  const fixed = exp >= 0 ? digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1) : '0.' + '0'.repeat(-exp - 1) + digits;
  return sign + trimZeros(fixed);
}

/** The 6 significant digits of a positive x, rounded half to even on its exact value, and its decimal exponent. */
function sixDigits(x: number): [string, number] {
  const exact = x.toExponential(100); // exact for any double this prints (its expansion is shorter)
  let digits = exact[0] + exact.slice(2, 7);
  let exp = Number(exact.slice(exact.indexOf('e') + 1));
  const rest = exact.slice(7, exact.indexOf('e'));
  const up = rest[0] > '5' || (rest[0] === '5' && (/[1-9]/.test(rest.slice(1)) || Number(digits[5]) % 2 === 1));
  if (up) {
    const n = String(Number(digits) + 1);
    if (n.length > 6) {
      digits = n.slice(0, 6);
      exp++;
    } else digits = n;
  }
  return [digits, exp];
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}
