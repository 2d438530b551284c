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
