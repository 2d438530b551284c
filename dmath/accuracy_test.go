package dmath

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"os"
	"strconv"
	"sync"
	"testing"

	"github.com/downhill-go/downhill/dmath/internal/bigref"
)

// prec is the oracle's precision: the exact value is known to better than
// 2^-35 of an ulp.
const prec = 96

func bf(x float64) *big.Float { return new(big.Float).SetPrec(prec).SetFloat64(x) }

// ulpErr returns |got - exact| in ulps of exact: the spacing of the
// float64 numbers around exact (2^-1074 for subnormals, 2^971 beyond
// MaxFloat64, where ±Inf counts as ±2^1024).
func ulpErr(got float64, exact *big.Float) float64 {
	if math.IsNaN(got) {
		return math.Inf(1)
	}
	g := new(big.Float).SetPrec(prec + 1100)
	// Beyond MaxFloat64 + half its ulp, the correctly rounded result is ±Inf.
	inf := new(big.Float).SetMantExp(big.NewFloat(0x1.fffffffffffffcp0), 1023)
	if math.IsInf(got, 0) && new(big.Float).Abs(exact).Cmp(inf) >= 0 && exact.Sign()*int(math.Copysign(1, got)) > 0 {
		return 0
	}
	if math.IsInf(got, 0) {
		g.SetMantExp(big.NewFloat(math.Copysign(1, got)), 1024)
	} else {
		g.SetFloat64(got)
	}
	ue := -1074
	if exact.Sign() != 0 {
		e := exact.MantExp(nil) - 1 // exact = 1.f·2^e
		ue = min(max(e, -1022), 1023) - 52
	}
	d := new(big.Float).SetPrec(prec+1100).Sub(g, exact)
	d.Abs(d)
	d.SetMantExp(d, -ue)
	f, _ := d.Float64()
	return f
}

// cases is the number of random inputs per function (200 000 by default,
// 3 000 with -short), settable with DMATH_CASES.
func cases() int {
	if s := os.Getenv("DMATH_CASES"); s != "" {
		n, err := strconv.Atoi(s)
		if err == nil && n > 0 {
			return n
		}
	}
	if testing.Short() {
		return 3000
	}
	return 200000
}

type unary struct {
	name  string
	f     func(float64) float64
	exact func(x float64) *big.Float
	gen   func(r *rand.Rand) float64
}

// logUniform returns ±2^u with u uniform in [lo, hi).
func logUniform(r *rand.Rand, lo, hi float64, signed bool) float64 {
	x := math.Exp2(lo + (hi-lo)*r.Float64())
	if signed && r.IntN(2) == 0 {
		x = -x
	}
	return x
}

func uniform(r *rand.Rand, lo, hi float64) float64 { return lo + (hi-lo)*r.Float64() }

// anyFinite returns a finite float64 with uniformly random bits.
func anyFinite(r *rand.Rand) float64 {
	for {
		x := math.Float64frombits(r.Uint64())
		if !math.IsNaN(x) && !math.IsInf(x, 0) {
			return x
		}
	}
}

func exactTanh(x float64) *big.Float {
	m := bigref.Expm1(bf(2*x), prec+16)
	d := new(big.Float).SetPrec(prec+16).Add(m, big.NewFloat(2))
	return d.Quo(m, d)
}

func exactSigmoid(x float64) *big.Float {
	e := bigref.Exp(bf(-x), prec+16)
	e.Add(e, big.NewFloat(1))
	return e.Quo(big.NewFloat(1).SetPrec(prec+16), e)
}

var unaries = []unary{
	{"Exp", Exp, func(x float64) *big.Float { return bigref.Exp(bf(x), prec) }, func(r *rand.Rand) float64 {
		switch r.IntN(4) {
		case 0:
			return logUniform(r, -60, 9.5, true)
		case 1:
			return uniform(r, -745.2, -700) // subnormal and small results
		}
		return uniform(r, -745.2, 709.8)
	}},
	{"Expm1", Expm1, func(x float64) *big.Float { return bigref.Expm1(bf(x), prec) }, func(r *rand.Rand) float64 {
		switch r.IntN(3) {
		case 0:
			return logUniform(r, -60, 6, true)
		case 1:
			return uniform(r, -2, 2)
		}
		return uniform(r, -50, 709.8)
	}},
	{"Log", Log, func(x float64) *big.Float { return bigref.Log(bf(x), prec) }, func(r *rand.Rand) float64 {
		switch r.IntN(4) {
		case 0:
			return math.Abs(anyFinite(r)) // every binade, subnormals included
		case 1:
			return 1 + logUniform(r, -60, -3, true)
		case 2:
			return uniform(r, 0.5, 2)
		}
		return logUniform(r, -1074, 1024, false)
	}},
	{"Log1p", Log1p, func(x float64) *big.Float { return bigref.Log1p(bf(x), prec) }, func(r *rand.Rand) float64 {
		switch r.IntN(4) {
		case 0:
			return logUniform(r, -80, 0, true)
		case 1:
			return -1 + logUniform(r, -52, -1, false)
		case 2:
			return uniform(r, -0.5, 2)
		}
		return logUniform(r, -1074, 1024, false)
	}},
	{"Sin", Sin, func(x float64) *big.Float { s, _ := bigref.SinCos(x, prec); return s }, genTrig},
	{"Cos", Cos, func(x float64) *big.Float { _, c := bigref.SinCos(x, prec); return c }, genTrig},
	{"Tanh", Tanh, exactTanh, func(r *rand.Rand) float64 {
		switch r.IntN(3) {
		case 0:
			return logUniform(r, -40, 5, true)
		case 1:
			return uniform(r, -1, 1)
		}
		return uniform(r, -23, 23)
	}},
	{"Sigmoid", Sigmoid, exactSigmoid, func(r *rand.Rand) float64 {
		switch r.IntN(3) {
		case 0:
			return logUniform(r, -60, 3, true)
		case 1:
			return uniform(r, -750, 50)
		}
		return uniform(r, -45, 45)
	}},
	{"Softplus", Softplus, func(x float64) *big.Float {
		if x > 0 { // x + log1p(e^-x)
			l := bigref.Log1p(bigref.Exp(bf(-x), prec+16), prec+16)
			return l.Add(l, new(big.Float).SetPrec(prec+1100).SetFloat64(x)).SetPrec(prec)
		}
		return bigref.Log1p(bigref.Exp(bf(x), prec+16), prec)
	}, func(r *rand.Rand) float64 {
		switch r.IntN(3) {
		case 0:
			return logUniform(r, -60, 3, true)
		case 1:
			return uniform(r, -750, 750)
		}
		return uniform(r, -45, 45)
	}},
}

func genTrig(r *rand.Rand) float64 {
	switch r.IntN(5) {
	case 0:
		return anyFinite(r) // Payne-Hanek reduction, every binade
	case 1:
		return uniform(r, -8, 8)
	case 2:
		return logUniform(r, -30, 19, true) // Cody-Waite reduction
	case 3:
		// next to a multiple of π/2: the hardest reductions
		k := float64(r.IntN(1 << 20))
		return math.Nextafter(k*(math.Pi/2), math.Inf(int(r.IntN(2)*2-1)))
	}
	return logUniform(r, 19, 1024, true)
}

// hardInputs are inputs every function is tested on: special values,
// subnormals, thresholds of overflow and underflow, the float64 closest
// to a multiple of π/2.
var hardInputs = []float64{
	0, math.Copysign(0, -1), 5e-324, -5e-324, 0x1p-1022, -0x1p-1022, 0x1.fffffffffffffp-1023,
	0x1p-54, 0x1p-30, 0x1p-27, 0x1p-26, 0.5, 0.55, 1, -1, 2, 0.7, 1.4, 0.75, math.Pi / 4, math.Pi / 2, math.Pi,
	709.782712893384, 709.7827128933841, 709.79, -708.3964185322641, -708.39641853226425,
	-745.1332191019411, -745.1332191019412, -745.2, 22, 40, -40, 37.5, -37.5, 0x1p19, 0x1p19 - 0.5,
	6381956970095103 * 0x1p797, math.MaxFloat64, -math.MaxFloat64, 1e300, 1e22,
	1 + 0x1p-52, 1 - 0x1p-53, -1 + 0x1p-53, 0x1.6a09e667f3bcdp0, 0x1.6a09e667f3bccp0,
}

var (
	reportMu sync.Mutex
	report   []string
)

func TestAccuracy(t *testing.T) {
	n := cases()
	for _, u := range unaries {
		t.Run(u.name, func(t *testing.T) {
			t.Parallel()
			r := rand.New(rand.NewPCG(1, uint64(len(u.name))))
			worst, worstX := 0.0, 0.0
			check := func(x float64) {
				got := u.f(x)
				if e := ulpErr(got, u.exact(x)); e > worst || math.IsNaN(e) {
					worst, worstX = e, x
				}
			}
			for _, x := range hardInputs {
				if u.name == "Log" && x < 0 || u.name == "Log1p" && x <= -1 {
					continue
				}
				check(x)
			}
			for range n {
				check(u.gen(r))
			}
			msg := fmt.Sprintf("%-8s %7d inputs: worst error %.4f ulp at x = %v (%x)", u.name, n+len(hardInputs), worst, worstX, worstX)
			t.Log(msg)
			if !(worst < 1) {
				t.Errorf("%s: %.4f ulp >= 1 at x = %v: got %v", u.name, worst, worstX, u.f(worstX))
			}
		})
	}
	t.Run("Pow", func(t *testing.T) {
		t.Parallel()
		r := rand.New(rand.NewPCG(2, 3))
		worst, wx, wy := 0.0, 0.0, 0.0
		check := func(x, y float64) {
			got := Pow(x, y)
			if e := ulpErr(got, exactPow(x, y)); e > worst || math.IsNaN(e) {
				worst, wx, wy = e, x, y
			}
		}
		for range n {
			var x, y float64
			switch r.IntN(4) {
			case 0: // any x > 0, y within the range of finite results
				x = logUniform(r, -1074, 1024, false)
				l := math.Abs(math.Log(x))
				y = uniform(r, -750/l, 750/l)
			case 1: // x near 1, large y
				x = 1 + logUniform(r, -52, -4, true)
				l := math.Abs(math.Log(x))
				y = uniform(r, -750/l, 750/l)
			case 2: // negative x, integer y
				x = -logUniform(r, -8, 8, false)
				y = math.Round(uniform(r, -80, 80))
			default: // schedules: gamma^k, (1-t)^p
				x = uniform(r, 0, 1)
				y = uniform(r, 0, 1e4)
			}
			check(x, y)
		}
		msg := fmt.Sprintf("%-8s %7d inputs: worst error %.4f ulp at x, y = %v, %v", "Pow", n, worst, wx, wy)
		t.Log(msg)
		if !(worst < 1) {
			t.Errorf("Pow: %.4f ulp >= 1 at %v, %v: got %v", worst, wx, wy, Pow(wx, wy))
		}
	})
}

func exactPow(x, y float64) *big.Float {
	ax := math.Abs(x)
	l := bigref.Log(bf(ax), prec+64)
	l.Mul(l, new(big.Float).SetPrec(prec+64).SetFloat64(y))
	if l.Cmp(big.NewFloat(800)) > 0 {
		return new(big.Float).SetMantExp(big.NewFloat(1), 1200)
	}
	if l.Cmp(big.NewFloat(-800)) < 0 {
		return new(big.Float)
	}
	e := bigref.Exp(l, prec)
	if x < 0 && isOddInt(y) {
		e.Neg(e)
	}
	return e
}
