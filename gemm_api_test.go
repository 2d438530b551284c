package downhill_test

import (
	"testing"

	"github.com/downhill-go/downhill"
)

func (a apiKernels[F]) gemm(transA, transB bool, m, n, k int, alpha F, x []F, lda int, y []F, ldb int, beta F, c []F, ldc int) {
	if a.k == nil {
		downhill.Gemm(transA, transB, m, n, k, alpha, x, lda, y, ldb, beta, c, ldc)
	} else {
		a.k.Gemm(transA, transB, m, n, k, alpha, x, lda, y, ldb, beta, c, ldc)
	}
}

func TestGemmPanics(t *testing.T) {
	testGemmPanics[float32](t)
	testGemmPanics[float64](t)
}

// testGemmPanics checks the message of every argument check of Gemm, and
// that C is untouched when Gemm panics.
func testGemmPanics[F downhill.Float](t *testing.T) {
	s := func(n int) []F { return filled[F](n, 1) }
	for _, a := range apiPaths[F](t) {
		var c []F
		out := func(n int) []F { c = s(n); return c }
		cases := []struct {
			want string
			f    func()
		}{
			{"downhill: Gemm: m=-1 < 0", func() { a.gemm(false, false, -1, 2, 2, 1, s(4), 2, s(4), 2, 0, out(4), 2) }},
			{"downhill: Gemm: n=-2 < 0", func() { a.gemm(false, false, 2, -2, 2, 1, s(4), 2, s(4), 2, 0, out(4), 2) }},
			{"downhill: Gemm: k=-3 < 0", func() { a.gemm(false, false, 2, 2, -3, 1, s(4), 2, s(4), 2, 0, out(4), 2) }},
			{"downhill: Gemm: lda=2 < max(1, k=3)", func() { a.gemm(false, false, 2, 2, 3, 1, s(6), 2, s(6), 2, 0, out(4), 2) }},
			{"downhill: Gemm: lda=1 < max(1, m=2)", func() { a.gemm(true, false, 2, 2, 3, 1, s(6), 1, s(6), 2, 0, out(4), 2) }},
			{"downhill: Gemm: lda=0 < max(1, k=0)", func() { a.gemm(false, false, 2, 2, 0, 1, nil, 0, nil, 2, 0, out(4), 2) }},
			{"downhill: Gemm: ldb=1 < max(1, n=2)", func() { a.gemm(false, false, 2, 2, 3, 1, s(6), 3, s(6), 1, 0, out(4), 2) }},
			{"downhill: Gemm: ldb=2 < max(1, k=3)", func() { a.gemm(false, true, 2, 2, 3, 1, s(6), 3, s(6), 2, 0, out(4), 2) }},
			{"downhill: Gemm: ldc=1 < max(1, n=2)", func() { a.gemm(false, false, 2, 2, 3, 1, s(6), 3, s(6), 2, 0, out(4), 1) }},
			{"downhill: Gemm: ldc=0 < max(1, n=0)", func() { a.gemm(false, false, 2, 0, 3, 1, s(6), 3, nil, 1, 0, out(4), 0) }},
			{"downhill: Gemm: len(a)=5 < (m-1)*lda+k = 6 (m=2, k=3, lda=3)", func() {
				a.gemm(false, false, 2, 2, 3, 1, s(5), 3, s(6), 2, 0, out(4), 2)
			}},
			{"downhill: Gemm: len(a)=9 < (k-1)*lda+m = 10 (k=3, m=2, lda=4)", func() {
				a.gemm(true, false, 2, 2, 3, 1, s(9), 4, s(6), 2, 0, out(4), 2)
			}},
			{"downhill: Gemm: len(b)=5 < (k-1)*ldb+n = 6 (k=3, n=2, ldb=2)", func() {
				a.gemm(false, false, 2, 2, 3, 1, s(6), 3, s(5), 2, 0, out(4), 2)
			}},
			{"downhill: Gemm: len(b)=6 < (n-1)*ldb+k = 7 (n=2, k=3, ldb=4)", func() {
				a.gemm(false, true, 2, 2, 3, 1, s(6), 3, s(6), 4, 0, out(4), 2)
			}},
			{"downhill: Gemm: len(c)=4 < (m-1)*ldc+n = 5 (m=2, n=2, ldc=3)", func() {
				a.gemm(false, false, 2, 2, 3, 1, s(6), 3, s(6), 2, 0, out(4), 3)
			}},
			{"downhill: Gemm: len(c)=0 < (m-1)*ldc+n = 9223372036854775809 (m=2, n=2, ldc=9223372036854775807)", func() {
				a.gemm(false, false, 2, 2, 3, 1, s(6), 3, s(6), 2, 0, nil, 1<<63-1)
			}},
			{"downhill: Gemm: len(c)=0 < (m-1)*ldc+n = more than the address space (m=4611686018427387904, n=2, ldc=4611686018427387904)", func() {
				a.gemm(false, false, 1<<62, 2, 0, 1, nil, 1, nil, 2, 0, nil, 1<<62)
			}},
		}
		for _, tc := range cases {
			c = nil
			got := panicText(tc.f)
			if got != tc.want {
				t.Errorf("%T %s: panic %q, want %q", F(0), a.name, got, tc.want)
			}
			if c != nil && !equalBits(c, s(len(c))) {
				t.Errorf("%T %s: %q: c written before the panic: %v", F(0), a.name, tc.want, c)
			}
		}
		// Empty matrices need no storage: m, n or k of 0 with nil slices.
		for _, f := range []func(){
			func() { a.gemm(false, false, 0, 3, 4, 1, nil, 4, s(12), 3, 0, nil, 3) },
			func() { a.gemm(true, true, 3, 0, 4, 1, s(12), 3, nil, 4, 0, nil, 1) },
			func() { a.gemm(false, false, 2, 2, 0, 1, nil, 1, nil, 2, 0, out(4), 2) },
		} {
			if msg := panicText(f); msg != "" {
				t.Errorf("%T %s: empty matrix panicked: %s", F(0), a.name, msg)
			}
		}
	}
}
