import { ss } from './simple-statistics';

/**
 * Regularised incomplete gamma functions P(a, x) and Q(a, x) = 1 - P(a, x),
 * the base of the chi-square and normal tail probabilities here.
 *
 * Series for x < a + 1 (converges fast there), Lentz's continued fraction
 * otherwise; each side computes its own tail directly, so Q keeps full
 * relative precision far out in the tail (Q(0.5, 400) ≈ 1e-175) instead of
 * collapsing to 1 - 1.
 */
const EPS = 1e-16;
const TINY = 1e-300;
const MAX_ITER = 10_000;

export function logGamma(a: number): number {
  return ss.gammaln(a);
}

/** exp(-x + a ln x - lnΓ(a)): the common prefactor of both expansions. */
function prefactor(a: number, x: number): number {
  return Math.exp(-x + a * Math.log(x) - logGamma(a));
}

function lowerSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < MAX_ITER; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPS) break;
  }
  return sum * prefactor(a, x);
}

function upperContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITER; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return h * prefactor(a, x);
}

function checkArgs(a: number, x: number): void {
  if (!(a > 0) || !(x >= 0)) throw new RangeError(`incomplete gamma needs a > 0 and x >= 0, got a=${a}, x=${x}`);
}

/** P(a, x): the lower regularised incomplete gamma (scipy.special.gammainc). */
export function regularizedGammaP(a: number, x: number): number {
  checkArgs(a, x);
  if (x === 0) return 0;
  if (x === Infinity) return 1;
  return x < a + 1 ? lowerSeries(a, x) : 1 - upperContinuedFraction(a, x);
}

/** Q(a, x) = 1 - P(a, x): the upper regularised incomplete gamma (scipy.special.gammaincc). */
export function regularizedGammaQ(a: number, x: number): number {
  checkArgs(a, x);
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  return x < a + 1 ? 1 - lowerSeries(a, x) : upperContinuedFraction(a, x);
}
