package kernels

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// The specification of Asum, Nrm2 and Iamax against independent
// computations: exact sums in math/big, the reference BLAS loop.

func TestAsumExactOnIntegers(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for n := 0; n < 300; n += 7 {
		x64, x32 := make([]float64, n), make([]float32, n)
		want := 0
		for i := range x64 {
			v := r.IntN(2001) - 1000
			x64[i], x32[i] = float64(v), float32(v)
			want += max(v, -v)
		}
		if got := Asum(x64); got != float64(want) {
			t.Fatalf("n=%d: Asum(float64) = %v, want %d", n, got, want)
		}
		if got := Asum(x32); got != float32(want) {
			t.Fatalf("n=%d: Asum(float32) = %v, want %d", n, got, want)
		}
	}
	if v := Asum([]float64{1, math.NaN(), 2}); !math.IsNaN(v) {
		t.Fatalf("Asum with NaN = %v", v)
	}
	if v := Asum([]float32{-math.MaxFloat32, math.MaxFloat32}); !math.IsInf(float64(v), 1) {
		t.Fatalf("Asum(float32) overflow = %v, want +Inf (float32 accumulation)", v)
	}
	// The lanes are observable: lanes 0..63 of float32 hold 1 each, then
	// lane 0 takes 2^24 (1 + 2^24 rounds to 2^24, ties to even); the
	// pairwise reduction then adds 2^24 + 1 (-> 2^24), +2, +4, ..., +32 =
	// 2^24 + 62, where a sequential sum would give the exact 2^24 + 64.
	x := make([]float32, 65)
	for i := range x {
		x[i] = 1
	}
	x[64] = 1 << 24
	if got, want := Asum(x), float32(1<<24+62); got != want {
		t.Fatalf("lane order: Asum = %v, want %v", got, want)
	}
}

func TestIamaxReference(t *testing.T) {
	nan := math.NaN()
	for _, c := range []struct {
		x    []float64
		want int
	}{
		{nil, -1},
		{[]float64{-3}, 0},
		{[]float64{1, -3, 3, 2}, 1},
		{[]float64{0, math.Copysign(0, -1)}, 0},
		{[]float64{nan, 5, 7}, 0},
		{[]float64{1, nan, 7, nan, -7}, 2},
		{[]float64{1, math.Inf(-1), math.Inf(1)}, 1},
	} {
		if got := Iamax(c.x); got != c.want {
			t.Errorf("Iamax(%v) = %d, want %d", c.x, got, c.want)
		}
		x32 := make([]float32, len(c.x))
		for i, v := range c.x {
			x32[i] = float32(v)
		}
		if got := Iamax(x32); got != c.want {
			t.Errorf("Iamax(float32 %v) = %d, want %d", c.x, got, c.want)
		}
	}
}

// exactNorm is sqrt(sum x²) computed with 300-bit sums, rounded to float64.
func exactNorm[F Float](x []F) float64 {
	s := new(big.Float).SetPrec(3000)
	for _, v := range x {
		b := new(big.Float).SetPrec(3000).SetFloat64(float64(v))
		s.Add(s, b.Mul(b, b))
	}
	r, _ := s.Sqrt(s).Float64()
	return r
}

func ulps(a, b float64) float64 {
	if a == b {
		return 0
	}
	return math.Abs(a-b) / math.Max(math.Nextafter(math.Abs(b), math.Inf(1))-math.Abs(b), math.SmallestNonzeroFloat64)
}

func TestNrm2Accurate(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	// Scales that overflow or underflow the plain sum of squares in
	// float64, subnormal vectors, and ordinary ones.
	for _, e := range []int{-1074, -1060, -1030, -1000, -600, -500, -460, -400, 0, 400, 500, 511, 512, 600, 1000, 1020} {
		for _, n := range []int{1, 2, 5, 33, 100, 1000} {
			x := make([]float64, n)
			for i := range x {
				x[i] = math.Ldexp(r.NormFloat64(), e)
			}
			got, want := Nrm2(x), exactNorm(x)
			tol := 2 + float64(n)/8 // sqrt halves the relative error of the sum
			if want < 0x1p-1000 {
				tol = 1 << 12 // a subnormal result has few bits
			}
			if u := ulps(got, want); u > tol || math.IsInf(got, 0) != math.IsInf(want, 0) {
				t.Errorf("float64 e=%d n=%d: Nrm2 = %v, exact %v (%.1f ulps)", e, n, got, want, u)
			}
		}
	}
	for _, e := range []int{-149, -140, -100, -70, 0, 60, 70, 127} {
		for _, n := range []int{1, 2, 5, 33, 1000} {
			x := make([]float32, n)
			for i := range x {
				x[i] = float32(math.Ldexp(r.NormFloat64(), e))
			}
			got, want := Nrm2(x), float32(exactNorm(x))
			if got != want && !(math.IsInf(float64(want), 1) && math.IsInf(float64(got), 1)) {
				t.Errorf("float32 e=%d n=%d: Nrm2 = %v, exact %v", e, n, got, want)
			}
		}
	}
	// Single elements come back exactly, at any scale.
	for _, v := range []float64{3, -0x1p-1074, 0x1p-1030, math.MaxFloat64, -1e300, 1e-300} {
		if got := Nrm2([]float64{v}); got != math.Abs(v) {
			t.Errorf("Nrm2([%v]) = %v", v, got)
		}
	}
	nan, inf := math.NaN(), math.Inf(1)
	for _, c := range []struct {
		x    []float64
		want float64
	}{
		{nil, 0},
		{[]float64{0, math.Copysign(0, -1)}, 0},
		{[]float64{1, -inf, 2}, inf},
		{[]float64{1, inf, nan}, nan},
		{[]float64{nan, 1e300, 1e300}, nan},
		{[]float64{math.MaxFloat64, math.MaxFloat64}, inf},
		{[]float64{0x1.8p1000, 0x1p1001}, 0x1.4p1001}, // 3, 4, 5 times 2^999
		{[]float64{0x1.8p-1000, 0x1p-999}, 0x1.4p-999},
		{[]float64{0x1.8p-1073, 0x1p-1072}, 0x1.4p-1072}, // subnormal
	} {
		got := Nrm2(c.x)
		if !(got == c.want || math.IsNaN(got) && math.IsNaN(c.want)) {
			t.Errorf("Nrm2(%v) = %v, want %v", c.x, got, c.want)
		}
	}
}
