package kernels

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// exactFMA32 is the specification of FMA32: a*b+c computed exactly with
// math/big and rounded once to float32 (nearest, ties to even), with
// IEEE special values taken from float64 arithmetic, where they are exact.
func exactFMA32(a, b, c float32) float32 {
	fa, fb, fc := float64(a), float64(b), float64(c)
	if math.IsInf(fa, 0) || math.IsInf(fb, 0) || math.IsInf(fc, 0) || fa != fa || fb != fb || fc != fc {
		return float32(fa*fb + fc)
	}
	// 48-bit product and a sum spanning at most 2^128..2^-298: 1024 bits
	// hold both exactly.
	x := new(big.Float).SetPrec(1024).SetFloat64(fa)
	x.Mul(x, new(big.Float).SetPrec(1024).SetFloat64(fb))
	x.Add(x, new(big.Float).SetPrec(1024).SetFloat64(fc))
	if x.Sign() == 0 {
		// Exact zero: the sign follows IEEE (a*b and c both -0 give -0).
		return float32(fa*fb + fc)
	}
	r, _ := x.Float32() // nearest even; subnormals and overflow to Inf
	return r
}

func same32(a, b float32) bool {
	return math.Float32bits(a) == math.Float32bits(b) || (a != a && b != b)
}

func TestFMA32DoubleRoundingCase(t *testing.T) {
	a := float32(1 + 1.0/4096) // 1+2^-12
	c := float32(math.Ldexp(1, -60))
	if got := math.Float32bits(FMA32(a, a, c)); got != 0x3f801001 {
		t.Fatalf("FMA32(1+2^-12, 1+2^-12, 2^-60) = %#x, want 0x3f801001", got)
	}
	// The naive form rounds twice and gets it wrong: this is why FMA32 exists.
	if naive := math.Float32bits(float32(math.FMA(float64(a), float64(a), float64(c)))); naive != 0x3f801000 {
		t.Fatalf("naive double-rounded FMA gave %#x; expected the known wrong 0x3f801000", naive)
	}
	// The same in the subnormal range, where float32 keeps fewer bits:
	// a*b = 2^-150 - 2^-190 is just below half a subnormal step, so
	// a*b + c rounds to c = (2^22+1)*2^-149; the float64 sum is the tie
	// c + 2^-150, which rounds to even, c + 2^-149.
	a, b := float32(math.Ldexp(1, -24)+math.Ldexp(1, -44)), float32(math.Ldexp(1, -126)-math.Ldexp(1, -146))
	c = float32(math.Ldexp(1<<22+1, -149))
	if got := FMA32(a, b, c); got != c {
		t.Fatalf("FMA32 subnormal case = %#x, want %#x", math.Float32bits(got), math.Float32bits(c))
	}
	if exactFMA32(a, b, c) != c {
		t.Fatal("oracle disagrees on the subnormal case")
	}
	if naive := float32(math.FMA(float64(a), float64(b), float64(c))); naive == c {
		t.Fatal("naive double-rounded FMA is right on the subnormal case; not a test")
	}
}

// fmaCase draws inputs from one of several families chosen to hit the
// hard parts of a float32 FMA.
func fmaCase(r *rand.Rand) (a, b, c float32) {
	bits := func() float32 { return math.Float32frombits(r.Uint32()) }
	scaled := func(lo, hi int) float32 {
		m := 1 + r.Float64()
		if r.IntN(2) == 0 {
			m = -m
		}
		return float32(math.Ldexp(m, lo+r.IntN(hi-lo+1)))
	}
	short := func(e int) float32 { // few significant bits: exact products, ties
		v := float64(r.IntN(1<<12)|1) * math.Ldexp(1, e-12)
		if r.IntN(2) == 0 {
			v = -v
		}
		return float32(v)
	}
	switch r.IntN(8) {
	case 0: // any bit pattern: NaN, Inf, zeros, subnormals, everything
		return bits(), bits(), bits()
	case 1: // ordinary magnitudes, c comparable to a*b
		return scaled(-10, 10), scaled(-10, 10), scaled(-20, 20)
	case 2: // cancellation: c close to -a*b
		a, b = scaled(-20, 20), scaled(-20, 20)
		c = -float32(float64(a) * float64(b))
		if r.IntN(2) == 0 {
			c = math.Nextafter32(c, float32(math.Inf(r.IntN(2)*2-1)))
		}
		return a, b, c
	case 3: // c tiny next to a*b: sticky bits far below float32 precision
		return scaled(-5, 5), scaled(-5, 5), scaled(-90, -20)
	case 4: // products of short significands land on or next to midpoints
		return short(r.IntN(8)), short(r.IntN(8)), scaled(-70, -10)
	case 5: // subnormal and underflowing results
		return scaled(-80, -60), scaled(-80, -60), scaled(-149, -120)
	case 6: // overflow boundary
		return scaled(60, 64), scaled(60, 64), scaled(100, 127)
	default: // 1+k*2^-12 squared plus tiny c: the double-rounding family
		a = float32(1 + float64(r.IntN(64))/4096)
		return a, a, scaled(-64, -36)
	}
}

func TestFMA32AgainstBig(t *testing.T) {
	n := 6_000_000
	if testing.Short() {
		n = 200_000
	}
	r := rand.New(rand.NewPCG(42, 7))
	hard := 0
	for i := 0; i < n; i++ {
		a, b, c := fmaCase(r)
		got, want := FMA32(a, b, c), exactFMA32(a, b, c)
		if !same32(got, want) {
			t.Fatalf("FMA32(%g, %g, %g) = %g (%#x), exact %g (%#x)", a, b, c,
				got, math.Float32bits(got), want, math.Float32bits(want))
		}
		if !same32(naiveFMA32(a, b, c), want) {
			hard++
		}
	}
	// The families must reach the case FMA32 exists for.
	if hard == 0 {
		t.Fatalf("no case where rounding twice is wrong among %d", n)
	}
	t.Logf("%d cases agree with math/big (%d where rounding twice is wrong)", n, hard)
}

// naiveFMA32 rounds a*b+c twice, to float64 then to float32.
func naiveFMA32(a, b, c float32) float32 {
	return float32(float64(float64(a)*float64(b)) + float64(c))
}

// TestFMA32Edges runs every combination of a set of edge values.
func TestFMA32Edges(t *testing.T) {
	edges := []float32{0, 1, 2, 0.5, 3, 1 + 1.0/4096, 1 - 1.0/(1<<24), 1 + 1.0/(1<<23),
		math.MaxFloat32, math.SmallestNonzeroFloat32, 1.1754942e-38 /* largest subnormal */, 1.1754944e-38, /* smallest normal */
		float32(math.Ldexp(1, -60)), float32(math.Ldexp(1, 64)), float32(math.Ldexp(1, -75)), 0.1, 1e-20, 1e20,
		float32(math.Inf(1)), float32(math.NaN())}
	var all []float32
	for _, e := range edges {
		all = append(all, e, -e)
	}
	count := 0
	for _, a := range all {
		for _, b := range all {
			for _, c := range all {
				got, want := FMA32(a, b, c), exactFMA32(a, b, c)
				if !same32(got, want) {
					t.Fatalf("FMA32(%g, %g, %g) = %g (%#x), exact %g (%#x)", a, b, c,
						got, math.Float32bits(got), want, math.Float32bits(want))
				}
				count++
			}
		}
	}
	t.Logf("%d edge combinations agree with math/big", count)
}

// TestExactFMA32IsExact makes sure the oracle itself can tell the
// double-rounded answer from the right one.
func TestExactFMA32IsExact(t *testing.T) {
	a := float32(1 + 1.0/4096)
	c := float32(math.Ldexp(1, -60))
	if got := math.Float32bits(exactFMA32(a, a, c)); got != 0x3f801001 {
		t.Fatalf("oracle gives %#x", got)
	}
	if got := exactFMA32(float32(math.Copysign(0, -1)), 1, float32(math.Copysign(0, -1))); math.Float32bits(got) != 0x80000000 {
		t.Fatalf("oracle: -0*1 + -0 = %v, want -0", got)
	}
}
