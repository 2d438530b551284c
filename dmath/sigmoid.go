package dmath

import "math"

// Tanh returns the hyperbolic tangent of x.
//
// Special cases are as for math.Tanh:
//
//	Tanh(±0) = ±0
//	Tanh(±Inf) = ±1
//	Tanh(NaN) = NaN
func Tanh(x float64) float64 {
	ax := math.Abs(x)
	switch {
	case ax < 0x1p-28: // tanh x = x(1 - x²/3 + ...) rounds to x; ±0
		return x
	case x != x:
		return x
	case ax > 22: // 1 - tanh x < 2e^-44 < 2^-54
		return math.Copysign(1, x)
	}
	var t float64
	if ax < 0.55 {
		// t = m/(m+2), m = e^(2|x|) - 1 as a pair.
		mh, ml := expm1DD(float64(2 * ax))
		dh, dl := twoSum(mh, 2)
		t = divDD(mh, ml, dh, dl+ml)
	} else {
		// t = 1 - 2/(e^(2|x|) + 1) >= 1/2.
		eh, el := expDD(float64(2 * ax))
		dh, dl := fastTwoSum(eh, 1)
		dl += el
		qh := 2 / dh
		ql := (math.FMA(-qh, dh, 2) - float64(qh*dl)) / dh
		s := 1 - qh
		t = s + (((1 - s) - qh) - ql)
	}
	return math.Copysign(t, x)
}

// Sigmoid returns the logistic function 1/(1 + e^-x).
//
// Special cases:
//
//	Sigmoid(+Inf) = 1
//	Sigmoid(-Inf) = 0
//	Sigmoid(NaN) = NaN
func Sigmoid(x float64) float64 {
	switch {
	case x != x:
		return x
	case x > 40: // 1 - σ(x) < e^-40 < 2^-57
		return 1
	case x < -40: // σ(x) = e^x(1 - e^x + ...), e^x < 2^-57
		return Exp(x)
	}
	if x >= 0 {
		eh, el := expDD(-x)
		dh, dl := fastTwoSum(1, eh)
		return divDD(1, 0, dh, dl+el)
	}
	eh, el := expDD(x)
	dh, dl := fastTwoSum(1, eh)
	return divDD(eh, el, dh, dl+el)
}

// Softplus returns log(1 + e^x), the integral of Sigmoid, without
// overflow or cancellation: the loss of logistic regression is
// Softplus(-z) for label 1 and Softplus(z) for label 0.
//
// Special cases:
//
//	Softplus(+Inf) = +Inf
//	Softplus(-Inf) = 0
//	Softplus(NaN) = NaN
func Softplus(x float64) float64 {
	switch {
	case x != x:
		return x
	case x > 40: // x + log1p(e^-x), e^-x < 2^-57·x
		return x
	case x < -40: // e^x(1 - e^x/2 + ...), e^x < 2^-57
		return Exp(x)
	}
	if x > 0 {
		eh, el := expDD(-x)
		lh, ll := log1pDD(eh, el)
		s, e := twoSum(x, lh)
		return s + (e + ll)
	}
	eh, el := expDD(x)
	lh, ll := log1pDD(eh, el)
	return lh + ll
}
