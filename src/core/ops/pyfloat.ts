/**
 * Python's float formatting, reproduced exactly:
 * - `repr(x)` / `str(x)` / `json.dumps(x)`: the shortest digits that round-trip (the same digits
 *   JavaScript picks), laid out by CPython's rule: scientific when the decimal exponent is < -4 or
 *   >= 16 (`1e-05`, `1e+16`), else fixed with at least one fractional digit (`0.0001`, `1.0`).
 * - `format(x, '.Nf')`: correctly rounded, ties to even on the exact binary value. JavaScript's
 *   `toFixed` rounds ties up (0.5 → "1" where Python prints "0"), so it cannot be used.
 */

/** Python `repr(float)`; `nan`, `inf`, `-inf` for the non-finite values. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return finiteRepr(x);
}

/** How `json.dumps` writes a float (`NaN`, `Infinity`, `-Infinity` for the non-finite values). */
export function pyJsonFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  return finiteRepr(x);
}

function finiteRepr(x: number): string {
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  // toExponential() without an argument gives the shortest round-trip digits: "-1.2345e+2".
  const s = x.toExponential();
  const neg = s.startsWith('-');
  const ePos = s.indexOf('e');
  const mantissa = s.slice(neg ? 1 : 0, ePos);
  const exp = Number(s.slice(ePos + 1));
  const digits = mantissa.replace('.', '');
  const sign = neg ? '-' : '';
  // CPython's `decpt`: x = 0.DIGITS × 10^decpt. Scientific when decpt <= -4 or decpt > 16.
  const decpt = exp + 1;
  if (decpt <= -4 || decpt > 16) {
    const frac = digits.length > 1 ? `.${digits.slice(1)}` : '';
    const expAbs = Math.abs(exp);
    return `${sign}${digits[0] ?? '0'}${frac}e${exp < 0 ? '-' : '+'}${expAbs < 10 ? '0' : ''}${expAbs}`;
  }
  if (decpt <= 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
  if (decpt >= digits.length) return `${sign}${digits}${'0'.repeat(decpt - digits.length)}.0`;
  return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
}

/** Python `format(x, f'.{n}f')` for a float or int (an int is converted to float first, as Python does). */
export function pyFormatFixed(value: number | bigint, n: number): string {
  const x = typeof value === 'bigint' ? Number(value) : value;
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  const neg = x < 0 || Object.is(x, -0);
  const { mant, exp2 } = decompose(Math.abs(x));
  // |x| = mant × 2^exp2 exactly; scaled = |x| × 10^n, rounded half to even.
  const scale = 10n ** BigInt(n);
  let q: bigint;
  if (exp2 >= 0) {
    q = mant * scale * (1n << BigInt(exp2));
  } else {
    const num = mant * scale;
    const den = 1n << BigInt(-exp2);
    q = num / den;
    const r2 = (num % den) * 2n;
    if (r2 > den || (r2 === den && q % 2n === 1n)) q += 1n;
  }
  let digits = q.toString();
  if (n > 0) {
    digits = digits.padStart(n + 1, '0');
    digits = `${digits.slice(0, digits.length - n)}.${digits.slice(digits.length - n)}`;
  }
  return `${neg ? '-' : ''}${digits}`;
}

/** Split a finite non-negative double into an integer mantissa and a power of two. */
function decompose(x: number): { mant: bigint; exp2: number } {
  if (x === 0) return { mant: 0n, exp2: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  const frac = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (biased === 0) return { mant: frac, exp2: -1074 };
  return { mant: frac | (1n << 52n), exp2: biased - 1075 };
}
