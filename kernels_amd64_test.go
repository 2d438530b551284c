//go:build amd64 && !purego

package downhill

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"unsafe"

	"github.com/downhill-go/downhill/dispatch"
	"github.com/downhill-go/downhill/kernels"
)

// Tests of the avx2 path's Axpy, Axpby, Scale, Dot and SumRows
// (kernels_amd64.s) against package kernels, bit for bit: every length up
// to a few hundred (every tail of every loop), every alignment of each
// slice within a 32-byte vector, values that exercise rounding (wide
// exponents, subnormals, signed zeros, Inf, NaN), and aliasing. The guard
// page test (kernels_amd64_linux_test.go) checks that nothing outside the
// slices is touched.

// avx2Kernels returns the kernels of the avx2 path, or skips the test.
func avx2Kernels[F Float](t testing.TB) Kernels[F] {
	t.Helper()
	k, err := On[F](dispatch.AVX2)
	if err != nil {
		t.Skipf("avx2 path not available: %v", err)
	}
	return k
}

// kaLengths are the lengths every element-wise test runs: every length
// up to 3 main-loop iterations plus every tail, and a few large ones.
func kaLengths() []int {
	var ns []int
	for n := 0; n <= 200; n++ {
		ns = append(ns, n)
	}
	return append(ns, 255, 256, 257, 1000, 1023, 1024, 1025, 4099)
}

// kaValue returns a random value that stresses rounding: mostly finite
// values of widely varying magnitude and sign, sometimes a special one.
func kaValue[F Float](r *rand.Rand) F {
	switch r.IntN(40) {
	case 0:
		return F(math.NaN())
	case 1:
		return F(math.Inf(1))
	case 2:
		return F(math.Inf(-1))
	case 3:
		return 0
	case 4:
		return F(math.Copysign(0, -1))
	case 5: // subnormal or tiny
		if unsafe.Sizeof(F(0)) == 4 {
			return F(math.Float32frombits(uint32(r.IntN(1<<23)) | uint32(r.IntN(2))<<31))
		}
		return F(math.Float64frombits(r.Uint64()&(1<<52-1) | uint64(r.IntN(2))<<63))
	case 6: // huge
		if unsafe.Sizeof(F(0)) == 4 {
			return F(float32(r.NormFloat64()) * math.MaxFloat32 / 4)
		}
		return F(r.NormFloat64() * math.MaxFloat64 / 4)
	}
	// Random significand, exponent in a band wide enough that sums
	// cancel and products round.
	return F(math.Ldexp(r.NormFloat64(), r.IntN(40)-20))
}

func kaFill[F Float](r *rand.Rand, x []F) {
	for i := range x {
		x[i] = kaValue[F](r)
	}
}

// kaSlice returns a slice of n elements starting off elements past a
// 32-byte boundary of a fresh backing array, with random contents.
func kaSlice[F Float](r *rand.Rand, n, off int) []F {
	var z F
	per := 32 / int(unsafe.Sizeof(z))
	buf := make([]F, n+2*per)
	base := int(uintptr(unsafe.Pointer(&buf[0])) % 32 / unsafe.Sizeof(z))
	start := (per-base)%per + off
	x := buf[start : start+n : start+n]
	kaFill(r, x)
	return x
}

// kaSame reports whether a and b hold the same bits, any NaN matching
// any NaN.
func kaSame[F Float](a, b F) bool {
	if a != a && b != b {
		return true
	}
	if unsafe.Sizeof(a) == 4 {
		return math.Float32bits(float32(a)) == math.Float32bits(float32(b))
	}
	return math.Float64bits(float64(a)) == math.Float64bits(float64(b))
}

func kaCheck[F Float](t *testing.T, what string, got, want []F) bool {
	t.Helper()
	for i := range want {
		if !kaSame(got[i], want[i]) {
			t.Errorf("%s: element %d of %d: got %v (%#x), want %v (%#x)",
				what, i, len(want), got[i], kaBits(got[i]), want[i], kaBits(want[i]))
			return false
		}
	}
	return true
}

func kaBits[F Float](a F) uint64 {
	if unsafe.Sizeof(a) == 4 {
		return uint64(math.Float32bits(float32(a)))
	}
	return math.Float64bits(float64(a))
}

// kaOffsets are the element offsets from a 32-byte boundary tried for
// each slice: every one for float32 and float64 is covered by 0..7 and
// 0..3.
func kaOffsets[F Float]() int {
	var z F
	return 32 / int(unsafe.Sizeof(z))
}

func TestAVX2Axpy(t *testing.T) {
	t.Run("float32", testAVX2Axpy[float32])
	t.Run("float64", testAVX2Axpy[float64])
}

func testAVX2Axpy[F Float](t *testing.T) {
	k := avx2Kernels[F](t)
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range kaLengths() {
		for ox := 0; ox < kaOffsets[F](); ox++ {
			oy := (ox*3 + n) % kaOffsets[F]()
			x, y := kaSlice[F](r, n, ox), kaSlice[F](r, n, oy)
			alpha := kaValue[F](r)
			want := append([]F(nil), y...)
			kernels.Axpy(alpha, x, want)
			k.Axpy(alpha, x, y)
			if !kaCheck(t, fmt.Sprintf("Axpy n=%d offsets %d,%d alpha=%v", n, ox, oy, alpha), y, want) {
				return
			}
		}
	}
}

func TestAVX2Axpby(t *testing.T) {
	t.Run("float32", testAVX2Axpby[float32])
	t.Run("float64", testAVX2Axpby[float64])
}

func testAVX2Axpby[F Float](t *testing.T) {
	k := avx2Kernels[F](t)
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range kaLengths() {
		for ox := 0; ox < kaOffsets[F](); ox++ {
			oy := (ox*5 + n) % kaOffsets[F]()
			x, y := kaSlice[F](r, n, ox), kaSlice[F](r, n, oy)
			alpha, beta := kaValue[F](r), kaValue[F](r)
			want := append([]F(nil), y...)
			kernels.Axpby(alpha, x, beta, want)
			k.Axpby(alpha, x, beta, y)
			if !kaCheck(t, fmt.Sprintf("Axpby n=%d offsets %d,%d alpha=%v beta=%v", n, ox, oy, alpha, beta), y, want) {
				return
			}
		}
	}
}

func TestAVX2Scale(t *testing.T) {
	t.Run("float32", testAVX2Scale[float32])
	t.Run("float64", testAVX2Scale[float64])
}

func testAVX2Scale[F Float](t *testing.T) {
	k := avx2Kernels[F](t)
	r := rand.New(rand.NewPCG(5, 6))
	for _, n := range kaLengths() {
		for ox := 0; ox < kaOffsets[F](); ox++ {
			x := kaSlice[F](r, n, ox)
			alpha := kaValue[F](r)
			want := append([]F(nil), x...)
			kernels.Scale(alpha, want)
			k.Scale(alpha, x)
			if !kaCheck(t, fmt.Sprintf("Scale n=%d offset %d alpha=%v", n, ox, alpha), x, want) {
				return
			}
		}
	}
}

func TestAVX2Dot(t *testing.T) {
	t.Run("float32", testAVX2Dot[float32])
	t.Run("float64", testAVX2Dot[float64])
}

func testAVX2Dot[F Float](t *testing.T) {
	k := avx2Kernels[F](t)
	r := rand.New(rand.NewPCG(7, 8))
	for _, n := range kaLengths() {
		for ox := 0; ox < kaOffsets[F](); ox++ {
			oy := (ox*3 + n) % kaOffsets[F]()
			x, y := kaSlice[F](r, n, ox), kaSlice[F](r, n, oy)
			if r.IntN(2) == 0 {
				// Mostly finite values, so that the sum is not NaN and
				// a wrong lane order or tree shows up in the bits.
				for i := range x {
					x[i] = F(math.Ldexp(r.NormFloat64(), r.IntN(30)-15))
					y[i] = F(math.Ldexp(r.NormFloat64(), r.IntN(30)-15))
				}
			}
			want := kernels.Dot(x, y)
			if got := k.Dot(x, y); !kaSame(got, want) {
				t.Fatalf("Dot n=%d offsets %d,%d: got %v (%#x), want %v (%#x)", n, ox, oy, got, kaBits(got), want, kaBits(want))
			}
		}
	}
}

// TestAVX2DotSignedZero checks the padding rule of the last block: a lane
// holding -0 becomes +0 when the padded lanes take fma(+0, +0, acc), and
// stays -0 when n is a multiple of the lane count.
func TestAVX2DotSignedZero(t *testing.T) {
	t.Run("float32", testAVX2DotSignedZero[float32])
	t.Run("float64", testAVX2DotSignedZero[float64])
}

func testAVX2DotSignedZero[F Float](t *testing.T) {
	k := avx2Kernels[F](t)
	lanes := kernels.Lanes32
	tiny := F(math.SmallestNonzeroFloat32)
	if unsafe.Sizeof(tiny) == 8 {
		lanes, tiny = kernels.Lanes64, F(math.SmallestNonzeroFloat64)
	}
	// tiny * -tiny underflows to -0 in every lane.
	for _, n := range []int{1, 5, lanes - 1, lanes, lanes + 1, 2 * lanes, 3*lanes - 3} {
		x, y := make([]F, n), make([]F, n)
		for i := range x {
			x[i], y[i] = tiny, -tiny
		}
		want := kernels.Dot(x, y)
		if got := k.Dot(x, y); !kaSame(got, want) {
			t.Errorf("Dot of %d underflowing products: got %v (%#x), want %v (%#x)", n, got, kaBits(got), want, kaBits(want))
		}
	}
}

func TestAVX2SumRows(t *testing.T) {
	t.Run("float32", testAVX2SumRows[float32])
	t.Run("float64", testAVX2SumRows[float64])
}

func testAVX2SumRows[F Float](t *testing.T) {
	k := avx2Kernels[F](t)
	r := rand.New(rand.NewPCG(9, 10))
	check := func(n, m, od, os int) bool {
		dst, src := kaSlice[F](r, n, od), kaSlice[F](r, n*m, os)
		scale := kaValue[F](r)
		if r.IntN(4) == 0 {
			scale = 1
		}
		want := append([]F(nil), dst...)
		kernels.SumRows(want, scale, src)
		k.SumRows(dst, scale, src)
		return kaCheck(t, fmt.Sprintf("SumRows n=%d m=%d offsets %d,%d scale=%v", n, m, od, os, scale), dst, want)
	}
	for n := 1; n <= 150; n++ {
		for _, m := range []int{0, 1, 2, 3, 7} {
			if !check(n, m, n%kaOffsets[F](), (n+m)%kaOffsets[F]()) {
				return
			}
		}
	}
	for _, n := range []int{1, 7, 64, 100, 1000, 1031} {
		for _, m := range []int{32, 33} {
			for o := 0; o < kaOffsets[F](); o++ {
				if !check(n, m, o, kaOffsets[F]()-1-o) {
					return
				}
			}
		}
	}
}

// TestAVX2Aliasing runs the kernels whose two inputs may be the same
// slice with x == y.
func TestAVX2Aliasing(t *testing.T) {
	t.Run("float32", testAVX2Aliasing[float32])
	t.Run("float64", testAVX2Aliasing[float64])
}

func testAVX2Aliasing[F Float](t *testing.T) {
	k := avx2Kernels[F](t)
	r := rand.New(rand.NewPCG(11, 12))
	for _, n := range kaLengths() {
		x := kaSlice[F](r, n, n%kaOffsets[F]())
		alpha, beta := kaValue[F](r), kaValue[F](r)

		want := append([]F(nil), x...)
		kernels.Axpy(alpha, want, want)
		got := append([]F(nil), x...)
		k.Axpy(alpha, got, got)
		if !kaCheck(t, fmt.Sprintf("Axpy(x, x) n=%d", n), got, want) {
			return
		}

		want = append(want[:0], x...)
		kernels.Axpby(alpha, want, beta, want)
		got = append(got[:0], x...)
		k.Axpby(alpha, got, beta, got)
		if !kaCheck(t, fmt.Sprintf("Axpby(x, x) n=%d", n), got, want) {
			return
		}

		if g, w := k.Dot(x, x), kernels.Dot(x, x); !kaSame(g, w) {
			t.Fatalf("Dot(x, x) n=%d: got %v, want %v", n, g, w)
		}
	}
}

func TestAVX2NoAllocs(t *testing.T) {
	k32 := avx2Kernels[float32](t)
	k64 := avx2Kernels[float64](t)
	x32, y32 := make([]float32, 100), make([]float32, 100)
	x64, y64 := make([]float64, 100), make([]float64, 100)
	runs := map[string]func(){
		"Axpy32":    func() { k32.Axpy(2, x32, y32) },
		"Axpy64":    func() { k64.Axpy(2, x64, y64) },
		"Axpby32":   func() { k32.Axpby(2, x32, 0.5, y32) },
		"Axpby64":   func() { k64.Axpby(2, x64, 0.5, y64) },
		"Scale32":   func() { k32.Scale(1, x32) },
		"Scale64":   func() { k64.Scale(1, x64) },
		"Dot32":     func() { _ = k32.Dot(x32, y32) },
		"Dot64":     func() { _ = k64.Dot(x64, y64) },
		"SumRows32": func() { k32.SumRows(x32[:10], 0.1, y32) },
		"SumRows64": func() { k64.SumRows(x64[:10], 0.1, y64) },
	}
	for name, f := range runs {
		if a := testing.AllocsPerRun(100, f); a != 0 {
			t.Errorf("%s: %v allocations per call, want 0", name, a)
		}
	}
}

// Benchmarks of the avx2 path against the generic one at an L1 size; the
// comparison with peers lives in bench/.
func BenchmarkAVX2(b *testing.B) {
	const n = 1024
	x32, y32 := make([]float32, n), make([]float32, n)
	x64, y64 := make([]float64, n), make([]float64, n)
	src32 := make([]float32, 32*n)
	for i := range x32 {
		x32[i], y32[i], x64[i], y64[i] = 1, 1, 1, 1
	}
	for _, p := range []dispatch.Path{dispatch.Generic, dispatch.AVX2} {
		k32, err := On[float32](p)
		if err != nil {
			continue
		}
		k64, _ := On[float64](p)
		b.Run("Axpy32/"+p.String(), func(b *testing.B) {
			b.SetBytes(3 * 4 * n)
			for b.Loop() {
				k32.Axpy(1e-3, x32, y32)
			}
		})
		b.Run("Axpy64/"+p.String(), func(b *testing.B) {
			b.SetBytes(3 * 8 * n)
			for b.Loop() {
				k64.Axpy(1e-3, x64, y64)
			}
		})
		b.Run("Dot32/"+p.String(), func(b *testing.B) {
			b.SetBytes(2 * 4 * n)
			for b.Loop() {
				_ = k32.Dot(x32, y32)
			}
		})
		b.Run("Dot64/"+p.String(), func(b *testing.B) {
			b.SetBytes(2 * 8 * n)
			for b.Loop() {
				_ = k64.Dot(x64, y64)
			}
		})
		b.Run("SumRows32x32/"+p.String(), func(b *testing.B) {
			b.SetBytes(33 * 4 * n)
			for b.Loop() {
				k32.SumRows(y32, 1.0/32, src32)
			}
		})
	}
}
