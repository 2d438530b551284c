package downhill_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"unsafe"

	"github.com/downhill-go/downhill"
	"github.com/downhill-go/downhill/dispatch"
	"github.com/downhill-go/downhill/kernels"
)

// Asum, Nrm2 and Iamax on every path this CPU can run against kernels/,
// bit for bit (any NaN matches any NaN), on vectors built to reach every
// branch: ordinary values, specials (NaN, ±Inf, -0, near-overflow,
// subnormal), whole vectors at one extreme scale (Nrm2's rescaling), and
// small integers (ties for Iamax, exact sums for Asum).

func TestPathsLevel1(t *testing.T) {
	t.Run("float32", testPathsLevel1[float32])
	t.Run("float64", testPathsLevel1[float64])
}

func testPathsLevel1[F downhill.Float](t *testing.T) {
	r := rand.New(rand.NewPCG(13, 1))
	var ks []downhill.Kernels[F]
	for _, p := range dispatch.Available() {
		k, err := downhill.On[F](p)
		if err != nil {
			t.Fatal(err)
		}
		ks = append(ks, k)
	}
	lens := []int{0, 1, 2, 3, 31, 32, 33, 63, 64, 65, 127, 128, 129, 1000, 4099}
	for iter := 0; iter < 600; iter++ {
		n := lens[iter%len(lens)]
		if iter >= 2*len(lens) {
			n = r.IntN(300)
		}
		kind := iter % l1Kinds
		x := l1Vector[F](r, n, kind)
		orig := append([]F(nil), x...)
		wantAsum, wantNrm2, wantIamax := kernels.Asum(x), kernels.Nrm2(x), kernels.Iamax(x)
		for _, k := range ks {
			what := fmt.Sprintf("%s n=%d kind=%d", k.Path(), n, kind)
			if got := k.Asum(x); !l1Same(got, wantAsum) {
				t.Fatalf("%s: Asum = %v, kernels/ gives %v", what, got, wantAsum)
			}
			if got := k.Nrm2(x); !l1Same(got, wantNrm2) {
				t.Fatalf("%s: Nrm2 = %v (%#x), kernels/ gives %v (%#x)", what, got, l1Bits(got), wantNrm2, l1Bits(wantNrm2))
			}
			if got := k.Iamax(x); got != wantIamax {
				t.Fatalf("%s: Iamax = %d, kernels/ gives %d", what, got, wantIamax)
			}
			for i := range x {
				if l1Bits(x[i]) != l1Bits(orig[i]) {
					t.Fatalf("%s: x[%d] changed", what, i)
				}
			}
		}
	}
	// The package-level functions run the active path.
	x := l1Vector[F](r, 777, 0)
	if downhill.Asum(x) != kernels.Asum(x) || downhill.Nrm2(x) != kernels.Nrm2(x) || downhill.Iamax(x) != kernels.Iamax(x) {
		t.Fatal("package-level Asum/Nrm2/Iamax differ from kernels/")
	}
}

func TestLevel1ZeroAllocs(t *testing.T) {
	x := l1Vector[float64](rand.New(rand.NewPCG(1, 2)), 1000, 2)
	y := l1Vector[float32](rand.New(rand.NewPCG(1, 3)), 1000, 2)
	if a := testing.AllocsPerRun(10, func() {
		downhill.Asum(x)
		downhill.Nrm2(x)
		downhill.Iamax(x)
		downhill.Asum(y)
		downhill.Nrm2(y)
		downhill.Iamax(y)
	}); a != 0 {
		t.Fatalf("%v allocations per call", a)
	}
}

const l1Kinds = 5

// l1Vector returns n values of one kind: 0 ordinary, 1 ordinary with 5%
// specials, 2 one extreme binary scale for the whole vector (so that the
// float64 sum of squares overflows or underflows), 3 small integers
// (ties), 4 ordinary with a NaN at index 0 or nowhere.
func l1Vector[F downhill.Float](r *rand.Rand, n, kind int) []F {
	var z F
	emin, emax := -1074, 1023
	if unsafe.Sizeof(z) == 4 {
		emin, emax = -149, 127
	}
	scale := 0
	if kind == 2 {
		if r.IntN(2) == 0 {
			scale = emin + r.IntN(120)
		} else {
			scale = emax - r.IntN(40)
		}
	}
	x := make([]F, n)
	for i := range x {
		switch {
		case kind == 1 && r.IntN(20) == 0:
			specials := []float64{math.NaN(), math.Inf(1), math.Inf(-1), math.Copysign(0, -1),
				math.Ldexp(1, emin+r.IntN(30)), -math.Ldexp(1.5, emax-r.IntN(3))}
			x[i] = F(specials[r.IntN(len(specials))])
		case kind == 2:
			x[i] = F(math.Ldexp(r.NormFloat64(), scale))
		case kind == 3:
			x[i] = F(r.IntN(7) - 3)
		default:
			x[i] = F(r.NormFloat64() * 4)
		}
	}
	if kind == 4 && n > 0 && r.IntN(2) == 0 {
		x[0] = F(math.NaN())
	}
	return x
}

func l1Bits[F downhill.Float](v F) uint64 {
	if unsafe.Sizeof(v) == 4 {
		return uint64(math.Float32bits(float32(v)))
	}
	return math.Float64bits(float64(v))
}

func l1Same[F downhill.Float](a, b F) bool {
	return (a != a && b != b) || l1Bits(a) == l1Bits(b)
}
