package downhill_test

import (
	"fmt"
	"testing"

	"github.com/downhill-go/downhill"
	"github.com/downhill-go/downhill/dispatch"
	ts "github.com/downhill-go/downhill/internal/testsupport"
	"github.com/downhill-go/downhill/kernels"
)

// forEachPath runs f as a subtest on the kernels of every path this CPU
// can run (dispatch.Available, which always includes generic), through
// the public API: every test written with it runs on avx2, neon and
// generic alike.
func forEachPath[F downhill.Float](t *testing.T, f func(t *testing.T, k downhill.Kernels[F])) {
	t.Helper()
	for _, p := range dispatch.Available() {
		k, err := downhill.On[F](p)
		if err != nil {
			t.Fatalf("path %s is listed as available: %v", p, err)
		}
		t.Run(fmt.Sprintf("%s/%T", p, F(0)), func(t *testing.T) { f(t, k) })
	}
}

// bothTypes runs the float32 and the float64 instantiation of a test.
func bothTypes(t *testing.T, f32 func(*testing.T, downhill.Kernels[float32]), f64 func(*testing.T, downhill.Kernels[float64])) {
	t.Helper()
	forEachPath(t, f32)
	forEachPath(t, f64)
}

// fail stops the test with what and msg when msg (a testsupport diff) is
// not empty.
func fail(t *testing.T, what, msg string) {
	t.Helper()
	if msg != "" {
		t.Fatalf("%s: %s", what, msg)
	}
}

// checkResult compares a scalar result with kernels/'s.
func checkResult[F downhill.Float](t *testing.T, what string, got, want F) {
	t.Helper()
	if !ts.SameBits(got, want) {
		t.Fatalf("%s: got %v (%#x), kernels/ gives %v (%#x)", what, got, ts.Bits(got), want, ts.Bits(want))
	}
}

// xyOp is one of the element-wise kernels that update y from x, which the
// sweeps and random tests share one driver for.
type xyOp int

const (
	opAxpy  xyOp = iota // y = fma(a, x, y)
	opAxpby             // y = fma(a, x, b*y)
	opScale             // y = a*y (x unused)
)

func (op xyOp) String() string { return [...]string{"Axpy", "Axpby", "Scale"}[op] }

// run runs op on path k, or the kernels/ specification when spec is true.
func runXY[F downhill.Float](op xyOp, spec bool, k downhill.Kernels[F], a, b F, x, y []F) {
	switch {
	case op == opAxpy && spec:
		kernels.Axpy(a, x, y)
	case op == opAxpy:
		k.Axpy(a, x, y)
	case op == opAxpby && spec:
		kernels.Axpby(a, x, b, y)
	case op == opAxpby:
		k.Axpby(a, x, b, y)
	case spec:
		kernels.Scale(a, y)
	default:
		k.Scale(a, y)
	}
}

// checkXY runs op on x and y (guarded buffers) on path k and kernels/ and
// compares: y bit for bit, its guards, and x unchanged.
func checkXY[F downhill.Float](t *testing.T, k downhill.Kernels[F], op xyOp, what string, a, b F, x, y *ts.Buffer[F]) {
	t.Helper()
	wy := y.Clone()
	runXY(op, true, k, a, b, x.S(), wy.S())
	gx := x.Clone()
	runXY(op, false, k, a, b, gx.S(), y.S())
	what = fmt.Sprintf("%s %s a=%v b=%v", op, what, a, b)
	fail(t, what+" y", y.Check(wy))
	fail(t, what+" x", gx.Unchanged(x))
}
