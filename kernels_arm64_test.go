//go:build arm64 && !purego

package downhill

import (
	"math"
	"testing"
	"unsafe"

	"github.com/downhill-go/downhill/dispatch"
	"github.com/downhill-go/downhill/kernels"
)

// Targeted checks of kernels_arm64.s on inputs where a wrong rounding
// shows in the bits; paths_test.go and fuzz/ cover random inputs.

// TestNEONDotSignedZero: products of opposite-signed tiny subnormals
// round to -0, so touched lanes hold -0 while the +0 padding of the last
// block turns untouched lanes into +0; the combining tree must then give
// exactly the canonical sign for every length.
func TestNEONDotSignedZero(t *testing.T) {
	k32, k64 := neonKernels[float32](t), neonKernels[float64](t)
	for n := 1; n <= 200; n++ {
		x32, y32 := make([]float32, n), make([]float32, n)
		x64, y64 := make([]float64, n), make([]float64, n)
		for i := range n {
			x32[i], y32[i] = -math.SmallestNonzeroFloat32, math.SmallestNonzeroFloat32
			x64[i], y64[i] = -math.SmallestNonzeroFloat64, math.SmallestNonzeroFloat64
			if i%7 == 3 { // a +0 product in some lanes
				y32[i], y64[i] = 0, 0
			}
		}
		if g, w := k32.Dot(x32, y32), kernels.Dot(x32, y32); math.Float32bits(g) != math.Float32bits(w) {
			t.Errorf("float32 n=%d: Dot = %v (%#x), kernels gives %v (%#x)", n, g, math.Float32bits(g), w, math.Float32bits(w))
		}
		if g, w := k64.Dot(x64, y64), kernels.Dot(x64, y64); math.Float64bits(g) != math.Float64bits(w) {
			t.Errorf("float64 n=%d: Dot = %v (%#x), kernels gives %v (%#x)", n, g, math.Float64bits(g), w, math.Float64bits(w))
		}
	}
}

// TestNEONRounding: a = b = 1+2^-12 and c = 2^-60 (float32), where
// fma(a, b, c) = 0x3f801001 but a*b+c rounded twice = 0x3f801000, in the
// vector and the scalar part of every loop (lengths 1 to 70): Axpy must
// fuse, Axpby must round beta*y on its own and fuse the rest, Scale must
// round once.
func TestNEONRounding(t *testing.T) {
	k := neonKernels[float32](t)
	a := float32(1 + 1.0/4096)
	c := float32(math.Ldexp(1, -60))
	for n := 1; n <= 70; n++ {
		x, y := make([]float32, n), make([]float32, n)
		fill := func() {
			for i := range n {
				x[i], y[i] = a, c
			}
		}
		fill()
		k.Axpy(a, x, y)
		for i, v := range y {
			if math.Float32bits(v) != 0x3f801001 {
				t.Fatalf("Axpy n=%d: y[%d] = %#x, want 0x3f801001 (one rounding)", n, i, math.Float32bits(v))
			}
		}
		fill()
		w := append([]float32(nil), y...)
		k.Axpby(a, x, a, y)
		kernels.Axpby(a, x, a, w)
		for i := range y {
			if math.Float32bits(y[i]) != math.Float32bits(w[i]) {
				t.Fatalf("Axpby n=%d: y[%d] = %#x, kernels gives %#x", n, i, math.Float32bits(y[i]), math.Float32bits(w[i]))
			}
		}
		fill()
		w = append([]float32(nil), x...)
		k.Scale(a, x)
		kernels.Scale(a, w)
		for i := range x {
			if math.Float32bits(x[i]) != math.Float32bits(w[i]) {
				t.Fatalf("Scale n=%d: x[%d] = %#x, kernels gives %#x", n, i, math.Float32bits(x[i]), math.Float32bits(w[i]))
			}
		}
	}
}

func neonSame[F Float](a, b F) bool {
	if a != a && b != b {
		return true
	}
	if unsafe.Sizeof(a) == 4 {
		return math.Float32bits(float32(a)) == math.Float32bits(float32(b))
	}
	return math.Float64bits(float64(a)) == math.Float64bits(float64(b))
}

func neonKernels[F Float](t *testing.T) Kernels[F] {
	t.Helper()
	k, err := On[F](dispatch.NEON)
	if err != nil {
		t.Fatalf("neon path not available on arm64: %v", err)
	}
	return k
}
