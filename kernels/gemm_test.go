package kernels

import (
	"math"
	"testing"
)

// TestGemmSmall checks the layout conventions of Gemm on small integer
// matrices (exact in any order) for every transposition, and the
// formula's corner cases.
func TestGemmSmall(t *testing.T) {
	// op(A) = [[1 2 3] [4 5 6]], op(B) = [[1 2] [3 4] [5 6]]: product [[22 28] [49 64]].
	aN := []float64{1, 2, 3, 0, 4, 5, 6, 0}    // lda = 4
	aT := []float64{1, 4, 0, 2, 5, 0, 3, 6, 0} // lda = 3
	bN := []float64{1, 2, 0, 3, 4, 0, 5, 6, 0} // ldb = 3
	bT := []float64{1, 3, 5, 2, 4, 6}          // ldb = 3
	for _, tc := range []struct {
		ta, tb bool
		a      []float64
		lda    int
		b      []float64
		ldb    int
	}{
		{false, false, aN, 4, bN, 3},
		{true, false, aT, 3, bN, 3},
		{false, true, aN, 4, bT, 3},
		{true, true, aT, 3, bT, 3},
	} {
		c := []float64{1, 1, -7, 2, 2, -7}
		Gemm(tc.ta, tc.tb, 2, 2, 3, 2, tc.a, tc.lda, tc.b, tc.ldb, 0.5, c, 3)
		want := []float64{44.5, 56.5, -7, 99, 129, -7}
		for i := range c {
			if c[i] != want[i] {
				t.Fatalf("transA=%v transB=%v: c = %v, want %v", tc.ta, tc.tb, c, want)
			}
		}
	}
	// beta == 0 never reads C; k == 0 still applies alpha to acc = +0.
	c := []float32{float32(math.NaN()), -1}
	Gemm[float32](false, false, 1, 2, 0, 3, nil, 1, nil, 2, 0, c, 2)
	if math.Float32bits(c[0]) != 0 || math.Float32bits(c[1]) != 0 {
		t.Fatalf("k=0, beta=0: c = %v, want [0 0]", c)
	}
	c = []float32{5, -1}
	Gemm[float32](false, false, 1, 2, 0, float32(math.Inf(1)), nil, 1, nil, 2, 1, c, 2)
	if !math.IsNaN(float64(c[0])) || !math.IsNaN(float64(c[1])) {
		t.Fatalf("k=0, alpha=Inf: c = %v, want NaN (Inf*0)", c)
	}
}
