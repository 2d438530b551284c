package fuzz

import (
	"fmt"
	"math"
	"testing"

	"github.com/downhill-go/downhill"
	ts "github.com/downhill-go/downhill/internal/testsupport"
	"github.com/downhill-go/downhill/kernels"
)

// Gemm's targets take the same three arguments as the others, read
// differently: the dimensions come from the raw n and the top of layout,
//
//	m = n & 63, n = n>>6 & 63, k = n>>12 | layout>>27<<4  (0..511)
//
// and layout's other bits choose the offsets of a, b and c (bits 0..11,
// as elsewhere), the transpositions, alpha, beta and how much each
// leading dimension exceeds its minimum (the gaps hold guards).
const (
	gemmTransA     = 12
	gemmTransB     = 13
	gemmAlphaShift = 14 // 2 bits: a decoded value, 1, -1, 0
	gemmLdaShift   = 16 // 2 bits each: lda, ldb, ldc minus their minimum
	gemmLdbShift   = 18
	gemmLdcShift   = 20
	gemmBetaShift  = 22 // 2 bits: a decoded value, 0 with NaN in C, -0, 1
	gemmKShift     = 27 // 5 bits: k / 16
)

func FuzzGemm32(f *testing.F) { gemmTarget[float32](f) }
func FuzzGemm64(f *testing.F) { gemmTarget[float64](f) }

func gemmTarget[F downhill.Float](f *testing.F) {
	for i, s := range gemmSeeds {
		m, n, k := s[0], s[1], s[2]
		layout := uint32(i*7%16) | uint32(i*11%16)<<offBits | uint32(i*13%16)<<(2*offBits) |
			uint32(i%4)<<gemmTransA | uint32(i/4%4)<<gemmAlphaShift | uint32(i*5%64)<<gemmLdaShift |
			uint32(i/3%4)<<gemmBetaShift | uint32(k>>4)<<gemmKShift
		f.Add(uint16(m|n<<6|(k&15)<<12), layout, []byte{[]byte{0, 0, 16, 96}[i%4], byte(i), byte(i * 37)})
	}
	f.Fuzz(func(t *testing.T, n uint16, layout uint32, data []byte) {
		checkGemm[F](t, n, decode(n, layout, data))
	})
}

// gemmSeeds (m, n, k) cover 0, 1, every tail of the register tiles
// (6×16 float32, 6×8 float64 on avx2; 4×4 generic) and the training
// shapes' narrow sides.
var gemmSeeds = [][3]int{
	{0, 0, 0}, {1, 1, 1}, {0, 5, 3}, {5, 0, 3}, {4, 4, 0}, {1, 1, 2},
	{6, 16, 1}, {6, 8, 7}, {7, 17, 9}, {5, 15, 33}, {12, 32, 16}, {13, 33, 64},
	{2, 10, 100}, {63, 10, 31}, {10, 63, 64}, {11, 9, 3}, {3, 23, 130}, {19, 41, 2},
	{6, 24, 5}, {18, 48, 17}, {1, 63, 200}, {63, 1, 200}, {25, 7, 511}, {7, 25, 257},
	{4, 12, 12}, {8, 40, 1}, {24, 4, 6}, {17, 18, 19},
}

// gemmMatrix decodes a rows×cols matrix at stride ld into a guarded
// slice exactly as long as the matrix needs; the gaps hold guards.
func gemmMatrix[F downhill.Float](in *input, rows, cols, ld, off int) *ts.Buffer[F] {
	n := 0
	if rows > 0 && cols > 0 {
		n = (rows-1)*ld + cols
	}
	v := newVec[F](in, n, off)
	for i := range v.S() {
		if i%ld >= cols {
			v.All[v.Lo+i] = ts.Guard[F]()
		}
	}
	return v
}

func checkGemm[F downhill.Float](t *testing.T, raw uint16, in *input) {
	m, n := int(raw&63), int(raw>>6&63)
	k := int(raw>>12) | int(in.layout>>gemmKShift)<<4
	transA, transB := in.flag(gemmTransA), in.flag(gemmTransB)
	ld := func(shift uint, cols int) int { return max(1, cols) + int(in.layout>>shift&3) }
	ra, ca := m, k
	if transA {
		ra, ca = k, m
	}
	rb, cb := k, n
	if transB {
		rb, cb = n, k
	}
	lda, ldb, ldc := ld(gemmLdaShift, ca), ld(gemmLdbShift, cb), ld(gemmLdcShift, n)
	a := gemmMatrix[F](in, ra, ca, lda, in.off(0))
	b := gemmMatrix[F](in, rb, cb, ldb, in.off(1))
	c := gemmMatrix[F](in, m, n, ldc, in.off(2))
	var alpha, beta F
	switch in.layout >> gemmAlphaShift & 3 {
	case 0:
		alpha = value[F](in)
	case 1:
		alpha = 1
	case 2:
		alpha = -1
	}
	switch in.layout >> gemmBetaShift & 3 {
	case 0:
		beta = value[F](in)
	case 1: // C is not read: a NaN there must not leak
		for i := range c.S() {
			if i%ldc < n {
				c.All[c.Lo+i] = F(math.NaN())
			}
		}
	case 2:
		beta = F(math.Copysign(0, -1))
	case 3:
		beta = 1
	}
	what := fmt.Sprintf("Gemm m=%d n=%d k=%d transA=%v transB=%v lda=%d ldb=%d ldc=%d alpha=%v beta=%v",
		m, n, k, transA, transB, lda, ldb, ldc, alpha, beta)
	want := c.Clone()
	kernels.Gemm(transA, transB, m, n, k, alpha, a.S(), lda, b.S(), ldb, beta, want.S(), ldc)
	for _, kk := range paths[F](t) {
		ga, gb, gc := a.Clone(), b.Clone(), c.Clone()
		kk.Gemm(transA, transB, m, n, k, alpha, ga.S(), lda, gb.S(), ldb, beta, gc.S(), ldc)
		report(t, kk.Path(), what, in, "c", compareWindow(gc, want, c, n, ldc))
		report(t, kk.Path(), what, in, "a", ga.Unchanged(a))
		report(t, kk.Path(), what, in, "b", gb.Unchanged(b))
	}
}

// compareWindow checks C computed by a path against want (kernels'):
// the m×n window bit for bit (any NaN equals any NaN), every other
// element of the allocation (gaps, guards) unchanged from orig.
func compareWindow[F downhill.Float](got, want, orig *ts.Buffer[F], n, ldc int) string {
	for i, x := range got.All {
		j := i - got.Lo
		if j >= 0 && i < got.Hi && j%ldc < n {
			if y := want.All[i]; !ts.SameBits(x, y) {
				return fmt.Sprintf("C(%d,%d) is %v (%#x), kernels gives %v (%#x)", j/ldc, j%ldc, x, ts.Bits(x), y, ts.Bits(y))
			}
		} else if ts.Bits(x) != ts.Bits(orig.All[i]) {
			return fmt.Sprintf("element %d outside the window (slice at [%d:%d], ldc=%d) changed from %#x to %#x",
				i, got.Lo, got.Hi, ldc, ts.Bits(orig.All[i]), ts.Bits(x))
		}
	}
	return ""
}
