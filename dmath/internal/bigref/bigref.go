// Package bigref computes elementary functions with math/big to a chosen
// precision. It is the oracle of the dmath accuracy tests and the source
// of dmath's tables; it is slow and allocates, and it is not meant for
// anything else.
//
// Every function returns a value whose relative error is below 2^-(prec-8)
// for the precisions the tests use (prec >= 96); the functions work at
// prec+32 bits internally.
package bigref

import (
	"math"
	"math/big"
	"sync"
)

// maxConst is the precision of the cached constants: enough for the
// argument reduction of sin and cos at any float64 (2^1024·2/π) plus the
// working precision.
const maxConst = 1600

var (
	constOnce sync.Once
	ln2Const  *big.Float
	piConst   *big.Float
)

func newF(prec uint) *big.Float { return new(big.Float).SetPrec(prec) }

// invFact(wp)[k] = 1/k! rounded to wp bits, k < 64, cached per precision.
var invFactCache sync.Map // uint -> *[64]*big.Float

func invFact(wp uint) *[64]*big.Float {
	if v, ok := invFactCache.Load(wp); ok {
		return v.(*[64]*big.Float)
	}
	var t [64]*big.Float
	f := newF(wp + 64).SetInt64(1)
	for k := range t {
		if k > 0 {
			f.Mul(f, newF(64).SetInt64(int64(k)))
		}
		t[k] = newF(wp).Quo(newF(wp+64).SetInt64(1), f)
	}
	v, _ := invFactCache.LoadOrStore(wp, &t)
	return v.(*[64]*big.Float)
}

// taylor returns Σ_{k=from, from+step, ...} s^j·r^k/k! (j the index of
// the term, s = -1 if alternate, else 1), dropping the terms below 2^-wp
// relative to the first (|r| < 1).
func taylor(r *big.Float, from, step int, alternate bool, wp uint) *big.Float {
	inv := invFact(wp)
	// last term: r^K/K! < 2^-wp·r^from
	re := r.MantExp(nil)
	K := from
	for lf := 0.0; K+step < len(inv); K += step {
		lf = 0
		for i := from + 1; i <= K+step; i++ {
			lf += math.Log2(float64(i))
		}
		if float64(re)*float64(K+step-from)-lf < -float64(wp)-4 {
			break
		}
	}
	if K+step >= len(inv) {
		panic("bigref: taylor: argument too large")
	}
	r2 := newF(wp).Set(r)
	for range step - 1 {
		r2.Mul(r2, r)
	}
	if alternate {
		r2.Neg(r2)
	}
	sum := newF(wp).Set(inv[K])
	for k := K - step; k >= from; k -= step {
		sum.Mul(sum, r2)
		sum.Add(sum, inv[k])
	}
	for range from {
		sum.Mul(sum, r)
	}
	return sum
}

// atanhInv returns atanh(1/n) = Σ 1/((2k+1)·n^(2k+1)) at precision prec.
func atanhInv(n int64, prec uint) *big.Float {
	wp := prec + 32
	sum := newF(wp)
	pow := newF(wp).Quo(newF(wp).SetInt64(1), newF(wp).SetInt64(n)) // 1/n^(2k+1)
	n2 := newF(wp).SetInt64(n * n)
	t := newF(wp)
	for k := int64(0); ; k++ {
		t.Quo(pow, newF(wp).SetInt64(2*k+1))
		if t.Sign() == 0 || sum.Sign() != 0 && t.MantExp(nil) < sum.MantExp(nil)-int(wp) {
			break
		}
		sum.Add(sum, t)
		pow.Quo(pow, n2)
	}
	return sum
}

// atanInv returns atan(1/n) = Σ (-1)^k/((2k+1)·n^(2k+1)) at precision prec.
func atanInv(n int64, prec uint) *big.Float {
	wp := prec + 32
	sum := newF(wp)
	pow := newF(wp).Quo(newF(wp).SetInt64(1), newF(wp).SetInt64(n))
	n2 := newF(wp).SetInt64(n * n)
	t := newF(wp)
	for k := int64(0); ; k++ {
		t.Quo(pow, newF(wp).SetInt64(2*k+1))
		if t.Sign() == 0 || sum.Sign() != 0 && t.MantExp(nil) < sum.MantExp(nil)-int(wp) {
			break
		}
		if k%2 == 0 {
			sum.Add(sum, t)
		} else {
			sum.Sub(sum, t)
		}
		pow.Quo(pow, n2)
	}
	return sum
}

func consts() {
	constOnce.Do(func() {
		// ln 2 = 2·atanh(1/3); π = 16·atan(1/5) - 4·atan(1/239) (Machin).
		ln2Const = atanhInv(3, maxConst)
		ln2Const.SetMantExp(ln2Const, 1)
		a := atanInv(5, maxConst)
		a.SetMantExp(a, 4)
		b := atanInv(239, maxConst)
		b.SetMantExp(b, 2)
		piConst = newF(maxConst+32).Sub(a, b)
	})
}

// Ln2 returns ln 2 rounded to prec bits (prec <= 1600).
func Ln2(prec uint) *big.Float { consts(); return newF(prec).Set(ln2Const) }

// Pi returns π rounded to prec bits (prec <= 1600).
func Pi(prec uint) *big.Float { consts(); return newF(prec).Set(piConst) }

// Exp returns e^x. Beyond |x| = 2000, far outside the range of float64,
// it returns 2^±3000 instead.
func Exp(x *big.Float, prec uint) *big.Float {
	wp := prec + 32
	if x.Sign() == 0 {
		return newF(prec).SetInt64(1)
	}
	if new(big.Float).Abs(x).Cmp(big.NewFloat(2000)) > 0 {
		return newF(prec).SetMantExp(big.NewFloat(1), 3000*x.Sign())
	}
	// x = n·ln2 + r, |r| <= ln2/2; e^r from its Taylor series at r/2^s,
	// squared s times.
	xe := max(x.MantExp(nil), 0)
	ln2 := Ln2(wp + uint(xe) + 8)
	q := newF(wp+uint(xe)+8).Quo(x, ln2)
	n := roundInt(q)
	r := newF(wp+uint(xe)+8).Mul(newF(64).SetInt64(n), ln2)
	r.Sub(newF(wp+uint(xe)+8).Set(x), r)
	r.SetPrec(wp)
	const s = 8
	r.SetMantExp(r, -s)
	sum := taylor(r, 0, 1, false, wp)
	for range s {
		sum.Mul(sum, sum)
	}
	sum.SetMantExp(sum, int(n))
	return sum.SetPrec(prec)
}

// Expm1 returns e^x - 1 without cancellation.
func Expm1(x *big.Float, prec uint) *big.Float {
	wp := prec + 32
	if x.Sign() == 0 {
		return newF(prec)
	}
	if x.MantExp(nil) >= -10 {
		e := Exp(x, wp+12)
		return e.Sub(e, newF(64).SetInt64(1)).SetPrec(prec)
	}
	sum := newF(wp)
	term := newF(wp).SetInt64(1)
	for k := int64(1); ; k++ {
		term.Mul(term, x)
		term.Quo(term, newF(64).SetInt64(k))
		if term.Sign() == 0 || sum.Sign() != 0 && term.MantExp(nil) < sum.MantExp(nil)-int(wp) {
			break
		}
		sum.Add(sum, term)
	}
	return sum.SetPrec(prec)
}

// log1pSeries returns log(1+t) = Σ (-1)^(k+1) t^k/k for |t| < 2^-9.
func log1pSeries(t *big.Float, wp uint) *big.Float {
	sum := newF(wp)
	pow := newF(wp).Set(t)
	term := newF(wp)
	for k := int64(1); ; k++ {
		term.Quo(pow, newF(64).SetInt64(k))
		if term.Sign() == 0 || sum.Sign() != 0 && term.MantExp(nil) < sum.MantExp(nil)-int(wp) {
			break
		}
		if k%2 == 1 {
			sum.Add(sum, term)
		} else {
			sum.Sub(sum, term)
		}
		pow.Mul(pow, t)
	}
	return sum
}

// Log returns the natural logarithm of x > 0.
func Log(x *big.Float, prec uint) *big.Float {
	wp := prec + 32
	m := newF(wp)
	e := x.MantExp(m) // x = m·2^e, m in [0.5, 1)
	if m.Cmp(big.NewFloat(0.7)) < 0 {
		m.SetMantExp(m, 1)
		e--
	}
	// m in [0.7, 1.4): log m by the series near 1, else by two Newton
	// steps y <- y + m·e^-y - 1 from a float64 guess.
	d := newF(wp).Sub(m, newF(64).SetInt64(1))
	var y *big.Float
	if d.Sign() == 0 {
		y = newF(wp)
	} else if d.MantExp(nil) < -9 {
		y = log1pSeries(d, wp)
	} else {
		mf, _ := m.Float64()
		y = newF(wp).SetFloat64(math.Log(mf))
		{ // one step: from a 1-ulp guess, the error becomes < 2^-104
			t := Exp(newF(wp).Neg(y), wp)
			t.Mul(t, m)
			t.Sub(t, newF(64).SetInt64(1))
			y.Add(y, t)
		}
	}
	if e != 0 {
		l := Ln2(wp + 16)
		l.Mul(l, newF(64).SetInt64(int64(e)))
		y.Add(y, l)
	}
	return y.SetPrec(prec)
}

// Log1p returns log(1+x) for x > -1 without cancellation.
func Log1p(x *big.Float, prec uint) *big.Float {
	wp := prec + 32
	if x.Sign() == 0 {
		return newF(prec)
	}
	if x.MantExp(nil) < -9 {
		return log1pSeries(x, wp).SetPrec(prec)
	}
	// 1+x exactly: x has at most 64 significant bits below its exponent,
	// which is < 2^10 from the exponent of 1+x... unless x is huge.
	xe := max(x.MantExp(nil), 0)
	u := newF(uint(xe)+wp+80).Add(x, newF(64).SetInt64(1))
	return Log(u, prec)
}

// SinCos returns sin x and cos x for a float64 x.
func SinCos(x float64, prec uint) (sin, cos *big.Float) {
	wp := prec + 24
	_, xe := math.Frexp(x)
	// x - q·π/2 with q = round(x·2/π), computed with π to xe+wp+64 bits
	// so that the cancellation leaves wp bits.
	rp := uint(max(xe, 0)) + wp + 64
	xb := newF(rp).SetFloat64(x)
	pio2 := Pi(rp)
	pio2.SetMantExp(pio2, -1)
	qf := newF(rp).Quo(xb, pio2)
	qi, _ := newF(rp).Add(qf, big.NewFloat(0.5)).Int(nil)
	if newF(rp).Add(qf, big.NewFloat(0.5)).Sign() < 0 { // floor, not trunc
		f := newF(rp).Add(qf, big.NewFloat(0.5))
		if !f.IsInt() {
			qi.Sub(qi, big.NewInt(1))
		}
	}
	r := newF(rp).Mul(newF(rp).SetInt(qi), pio2)
	r.Sub(xb, r)
	r.SetPrec(wp)
	// Taylor series of sin and cos at r, |r| <= π/4.
	s, c := newF(wp), newF(wp).SetInt64(1)
	if r.Sign() != 0 {
		s = taylor(r, 1, 2, true, wp)
		c = taylor(r, 0, 2, true, wp)
	}
	q := new(big.Int).And(qi, big.NewInt(3)).Int64()
	switch q {
	case 1:
		s, c = c, s.Neg(s)
	case 2:
		s, c = s.Neg(s), c.Neg(c)
	case 3:
		s, c = c.Neg(c), s
	}
	return s.SetPrec(prec), c.SetPrec(prec)
}

// roundInt returns x rounded to the nearest integer (ties away from zero);
// |x| must fit in an int64.
func roundInt(x *big.Float) int64 {
	h := big.NewFloat(0.5)
	if x.Sign() < 0 {
		h.Neg(h)
	}
	t := newF(x.Prec()+2).Add(x, h)
	i, _ := t.Int64() // truncates toward zero
	return i
}
