package generic

import (
	"math"
	"math/rand/v2"
	"testing"
	"unsafe"

	"github.com/downhill-go/downhill/kernels"
)

// Asum, Nrm2 and Iamax against kernels/, bit for bit, called directly
// (package downhill's tests cover them through every path).

func TestLevel1MatchesKernels(t *testing.T) {
	t.Run("float32", testLevel1[float32])
	t.Run("float64", testLevel1[float64])
}

func testLevel1[F kernels.Float](t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	var z F
	emin, emax := -1074, 1023
	if unsafe.Sizeof(z) == 4 {
		emin, emax = -149, 127
	}
	specials := []float64{math.NaN(), math.Inf(1), math.Inf(-1), math.Copysign(0, -1), math.Ldexp(1, emin), math.Ldexp(-1.5, emax)}
	for iter := 0; iter < 400; iter++ {
		n := r.IntN(200)
		if iter%50 == 0 {
			n = 3000 + r.IntN(100)
		}
		scale := 0
		switch iter % 4 {
		case 1:
			scale = emin + r.IntN(100)
		case 2:
			scale = emax - r.IntN(30)
		}
		x := make([]F, n)
		for i := range x {
			x[i] = F(math.Ldexp(r.NormFloat64(), scale))
			if iter%4 == 3 && r.IntN(30) == 0 {
				x[i] = F(specials[r.IntN(len(specials))])
			}
			if iter%8 == 7 && i == 0 {
				x[i] = F(math.NaN())
			}
		}
		same := func(a, b F) bool {
			return a != a && b != b || math.Float64bits(float64(a)) == math.Float64bits(float64(b))
		}
		if got, want := Asum(x), kernels.Asum(x); !same(got, want) {
			t.Fatalf("iter %d n=%d: Asum = %v, kernels/ %v", iter, n, got, want)
		}
		if got, want := Nrm2(x), kernels.Nrm2(x); !same(got, want) {
			t.Fatalf("iter %d n=%d: Nrm2 = %v, kernels/ %v", iter, n, got, want)
		}
		if got, want := Iamax(x), kernels.Iamax(x); got != want {
			t.Fatalf("iter %d n=%d: Iamax = %d, kernels/ %d", iter, n, got, want)
		}
	}
}

// Iamax works on bit patterns with NaN counted as 0: the cases where that
// could go wrong (NaN among zeros, -0, Inf, NaN payloads with the sign
// set, ties) against the reference loop.
func TestIamaxBits(t *testing.T) {
	nan, inf, negz := math.NaN(), math.Inf(1), math.Copysign(0, -1)
	negNaN := math.Float64frombits(0xfff8000000000001)
	for _, x := range [][]float64{
		{0, nan, 0}, {negz, nan, 0}, {nan, 0}, {0, nan}, {negz, negNaN, 1e-320},
		{1, -inf, nan, inf}, {nan, nan}, {3, -3, 3}, {0, 0, negz}, {1, negNaN, 2, nan, -2},
		{5e-324, nan, 0}, {math.MaxFloat64, inf}, {2, 1, 0, 0, 2, 1},
	} {
		x32 := make([]float32, len(x))
		for i, v := range x {
			x32[i] = float32(v)
		}
		if got, want := Iamax(x), kernels.Iamax(x); got != want {
			t.Errorf("Iamax(%v) = %d, kernels/ %d", x, got, want)
		}
		if got, want := Iamax(x32), kernels.Iamax(x32); got != want {
			t.Errorf("Iamax(float32 %v) = %d, kernels/ %d", x, got, want)
		}
	}
}
