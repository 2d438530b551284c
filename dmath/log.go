package dmath

import "math"

// logCore returns log(x·2^eoff) as hi + lo, relative error below 2^-66,
// for a positive normal finite x.
//
// Method: x·2^eoff = 2^e·m with m in [0.707, 1.414); the interval j of m
// (7 bits of its mantissa) gives invc = logInvC[j] ≈ 1/m with 8
// significant bits, so r = m·invc - 1 is exact in one FMA and |r| <= 2^-7;
// log x = e·ln2 - log(invc) + log1p(r), with log1p(r) = r - r²/2 + r³·P(r)
// (Taylor to r^10, truncation < 2^-70·|r|). Near 1 (j = 0 or 127)
// invc = 1 and r = m - 1, so small results keep their relative accuracy.
func logCore(x float64, eoff int) (hi, lo float64) {
	bits := math.Float64bits(x)
	e := int(bits>>52) - 1023 + eoff
	j := int(bits>>45) & 127
	m := math.Float64frombits(bits&(1<<52-1) | 1023<<52)
	if j >= 53 {
		m *= 0.5
		e++
	}
	r := math.FMA(m, logInvC[j], -1)
	fe := float64(e)
	ah, al := twoSum(float64(fe*ln2Hi), logC[2*j])
	sh, sl := twoSum(ah, r)
	r2, r2l := twoProd(r, r)
	th, tl := twoSum(sh, float64(-0.5*r2))
	p := float64(r*(-1.0/10)) + 1.0/9
	p = float64(r*p) - 1.0/8
	p = float64(r*p) + 1.0/7
	p = float64(r*p) - 1.0/6
	p = float64(r*p) + 1.0/5
	p = float64(r*p) - 1.0/4
	p = float64(r*p) + 1.0/3
	p = float64(float64(r2*r) * p)
	lo = p + (tl + sl + al + float64(fe*ln2Lo) + logC[2*j+1] - float64(0.5*r2l))
	return fastTwoSum(th, lo)
}

// logPos returns log x as hi + lo for a positive finite x.
func logPos(x float64) (hi, lo float64) {
	if x < 0x1p-1022 {
		return logCore(float64(x*0x1p52), -52)
	}
	return logCore(x, 0)
}

// Log returns the natural logarithm of x.
//
// Special cases are as for math.Log:
//
//	Log(+Inf) = +Inf
//	Log(0) = -Inf
//	Log(x < 0) = NaN
//	Log(NaN) = NaN
func Log(x float64) float64 {
	switch {
	case x != x || x < 0:
		return math.NaN()
	case x == 0:
		return math.Inf(-1)
	case math.IsInf(x, 1):
		return x
	}
	hi, _ := logPos(x)
	return hi
}

// log1pDD returns log(1 + ah + al) as hi + lo for 0 <= ah <= 1.
func log1pDD(ah, al float64) (hi, lo float64) {
	if ah < 0x1p-15 {
		// ah + al + ah²·(-1/2 + ah/3 - ah²/4 + ah³/5)
		p := float64(ah*(1.0/5)) - 1.0/4
		p = float64(ah*p) + 1.0/3
		p = float64(ah*p) - 1.0/2
		return fastTwoSum(ah, al+float64(float64(ah*ah)*p))
	}
	u, ul := fastTwoSum(1, ah)
	hi, lo = logCore(u, 0)
	return fastTwoSum(hi, lo+(ul+al)/u)
}

// Log1p returns log(1 + x), accurate also when x is near 0.
//
// Special cases are as for math.Log1p:
//
//	Log1p(+Inf) = +Inf
//	Log1p(±0) = ±0
//	Log1p(-1) = -Inf
//	Log1p(x < -1) = NaN
//	Log1p(NaN) = NaN
func Log1p(x float64) float64 {
	switch {
	case x != x || x < -1:
		return math.NaN()
	case x == -1:
		return math.Inf(-1)
	case math.IsInf(x, 1):
		return x
	case math.Abs(x) < 0x1p-54: // log1p(x) = x(1 - x/2 + ...) rounds to x
		return x
	case math.Abs(x) < 0x1p-15:
		// x + x²·(-1/2 + x/3 - x²/4 + x³/5), truncation < 2^-75·|x|.
		p := float64(x*(1.0/5)) - 1.0/4
		p = float64(x*p) + 1.0/3
		p = float64(x*p) - 1.0/2
		return x + float64(float64(x*x)*p)
	}
	// 1 + x = u + ul exactly, u > 0; log(u + ul) = log u + ul/u (the
	// next term, (ul/u)²/2, is below 2^-107).
	var u, ul float64
	if math.Abs(x) <= 1 {
		u, ul = fastTwoSum(1, x)
	} else {
		u, ul = fastTwoSum(x, 1)
	}
	hi, lo := logCore(u, 0)
	return hi + (lo + ul/u)
}

// isOddInt reports whether y is an odd integer.
func isOddInt(y float64) bool {
	if math.Abs(y) >= 0x1p53 || y != math.Trunc(y) {
		return false
	}
	return int64(y)&1 == 1
}

// Pow returns x**y, the base-x exponential of y.
//
// Special cases are as for math.Pow (in this order):
//
//	Pow(x, ±0) = 1 for any x
//	Pow(1, y) = 1 for any y
//	Pow(x, 1) = x for any x
//	Pow(NaN, y) = NaN
//	Pow(x, NaN) = NaN
//	Pow(±0, y) = ±Inf for y an odd integer < 0
//	Pow(±0, -Inf) = +Inf
//	Pow(±0, +Inf) = +0
//	Pow(±0, y) = +Inf for finite y < 0 and not an odd integer
//	Pow(±0, y) = ±0 for y an odd integer > 0
//	Pow(±0, y) = +0 for finite y > 0 and not an odd integer
//	Pow(-1, ±Inf) = 1
//	Pow(x, +Inf) = +Inf for |x| > 1
//	Pow(x, -Inf) = +0 for |x| > 1
//	Pow(x, +Inf) = +0 for |x| < 1
//	Pow(x, -Inf) = +Inf for |x| < 1
//	Pow(+Inf, y) = +Inf for y > 0
//	Pow(+Inf, y) = +0 for y < 0
//	Pow(-Inf, y) = Pow(-0, -y)
//	Pow(x, y) = NaN for finite x < 0 and finite non-integer y
//
// Method: e^(y·log|x|) with log|x| as a double-double (logCore) and the
// product y·log|x| as a double-double, so that the error of the exponent
// (up to 745 in size) stays far below an ulp of the result.
func Pow(x, y float64) float64 {
	switch {
	case y == 0 || x == 1:
		return 1
	case y == 1:
		return x
	case x != x || y != y:
		return math.NaN()
	case x == 0:
		switch {
		case y < 0:
			if isOddInt(y) {
				return math.Copysign(math.Inf(1), x)
			}
			return math.Inf(1)
		case isOddInt(y):
			return x
		}
		return 0
	case math.IsInf(y, 0):
		switch {
		case x == -1:
			return 1
		case (math.Abs(x) < 1) == (y > 0):
			return 0
		}
		return math.Inf(1)
	case math.IsInf(x, 0):
		if x < 0 {
			return Pow(1/x, -y) // Pow(-0, -y)
		}
		if y < 0 {
			return 0
		}
		return math.Inf(1)
	}
	neg := false
	if x < 0 {
		if y != math.Trunc(y) {
			return math.NaN()
		}
		neg = isOddInt(y)
		x = -x
	}
	lh, ll := logPos(x)
	zh := float64(y * lh)
	var r float64
	switch {
	case zh > 709.79:
		r = math.Inf(1)
	case zh < -745.2:
		r = 0
	default:
		zl := math.FMA(y, lh, -zh) + float64(y*ll)
		r = scale(expCore(zh, zl))
	}
	if neg {
		return -r
	}
	return r
}
