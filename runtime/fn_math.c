/*
** runtime/fn_math.c: SQL math that libm does not provide directly.
**
** The m_* members of RtApi are libm functions (sqrt, exp, log, ...) assigned in api.c; only
** round(x, digits) needs code of its own. Integer and decimal arithmetic is inline in abi.h
** or generated; this file does not handle it.
*/
#include <math.h>
#include "fn.h"

/* round(x, digits): half away from zero at `digits` decimal places (digits < 0 rounds to tens,
** hundreds, ...). Computed as DataFusion does, round(x * 10^d) / 10^d, so results match it bit
** for bit, including its artefacts (round(2.675, 2) = 2.67 because 2.675 is 2.67499... in
** binary). Deviations, all where DataFusion would give inf or NaN: values whose scaled form
** overflows are returned unchanged (they have no fractional digits anyway), and digits beyond
** the double range saturate (x itself for large positive digits, a signed zero for large
** negative ones). */
double m_round(double x, int64_t digits) {
  if (!isfinite(x) || x == 0) return x;
  if (digits == 0) return round(x);
  if (digits > 308) return x;
  if (digits < -308) return copysign(0.0, x);
  double p = pow(10.0, (double)digits);
  double y = x * p;
  if (!isfinite(y)) return x;      /* |x| >= 1e308 / 10^d: already integral at this scale */
  double r = round(y) / p;
  return isfinite(r) ? r : x;
}
