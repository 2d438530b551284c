package bench

import (
	"unsafe"

	"github.com/downhill-go/downhill"
	"github.com/viterin/vek"
	"github.com/viterin/vek/vek32"
	"gonum.org/v1/gonum/blas/gonum"
)

// The plain Go loops: what a user writes without a library. They round
// differently from downhill (no fused multiply-add: every product is
// converted to F, so that no compiler fuses it on any GOARCH), which is
// fine: they are measured, not checked.

func goAxpy[F downhill.Float](a F, x, y []F) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] += F(a * v)
	}
}

func goAxpby[F downhill.Float](a F, x []F, c F, y []F) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] = F(a*v) + F(c*y[i])
	}
}

func goScale[F downhill.Float](a F, x []F) {
	for i := range x {
		x[i] *= a
	}
}

func goDot[F downhill.Float](x, y []F) F {
	y = y[:len(x)]
	var s F
	for i, v := range x {
		s += F(v * y[i])
	}
	return s
}

// goSumRows adds the rows one after the other into dst, then scales.
func goSumRows[F downhill.Float](dst []F, scale F, src []F) {
	n := len(dst)
	copy(dst, src[:n])
	for r := n; r < len(src); r += n {
		row := src[r : r+n]
		for i, v := range row {
			dst[i] += v
		}
	}
	for i := range dst {
		dst[i] *= scale
	}
}

// goMomentum is the fused heavy-ball loop (Mu != 0, no dampening, weight
// decay or Nesterov: the configuration every benchmark uses).
func goMomentum[F downhill.Float](p, g, v []F, lr, mu F) {
	g, v = g[:len(p)], v[:len(p)]
	for i := range p {
		vi := F(mu*v[i]) + g[i]
		v[i] = vi
		p[i] -= F(lr * vi)
	}
}

// goBatchMomentumFused sums each column over the rows and applies the
// momentum update in the same pass, as BatchMomentumStep does.
func goBatchMomentumFused[F downhill.Float](p, v, rows []F, scale, lr, mu F) {
	n := len(p)
	v = v[:n]
	for i := range p {
		s := rows[i]
		for r := i + n; r < len(rows); r += n {
			s += rows[r]
		}
		vi := F(mu*v[i]) + F(scale*s)
		v[i] = vi
		p[i] -= F(lr * vi)
	}
}

// gonum's pure-Go BLAS (with its SSE assembly for the level 1 routines).
var blas gonum.Implementation

func is32[F downhill.Float]() bool { return sizeOf[F]() == 4 }

// The conversions reinterpret F as itself: each is called only in the
// branch where F has the target's size.
func f32[F downhill.Float](a F) float32 { return *(*float32)(unsafe.Pointer(&a)) }
func f64[F downhill.Float](a F) float64 { return *(*float64)(unsafe.Pointer(&a)) }
func s32[F downhill.Float](x []F) []float32 {
	return unsafe.Slice((*float32)(unsafe.Pointer(unsafe.SliceData(x))), len(x))
}
func s64[F downhill.Float](x []F) []float64 {
	return unsafe.Slice((*float64)(unsafe.Pointer(unsafe.SliceData(x))), len(x))
}

func gonumAxpy[F downhill.Float](a F, x, y []F) {
	if is32[F]() {
		blas.Saxpy(len(x), f32(a), s32(x), 1, s32(y), 1)
	} else {
		blas.Daxpy(len(x), f64(a), s64(x), 1, s64(y), 1)
	}
}

func gonumScal[F downhill.Float](a F, x []F) {
	if is32[F]() {
		blas.Sscal(len(x), f32(a), s32(x), 1)
	} else {
		blas.Dscal(len(x), f64(a), s64(x), 1)
	}
}

func gonumDot[F downhill.Float](x, y []F) float64 {
	if is32[F]() {
		return float64(blas.Sdot(len(x), s32(x), 1, s32(y), 1))
	}
	return blas.Ddot(len(x), s64(x), 1, s64(y), 1)
}

// gonumSumRows is B axpys into a cleared dst.
func gonumSumRows[F downhill.Float](dst []F, scale F, src []F) {
	n := len(dst)
	clear(dst)
	for r := 0; r < len(src); r += n {
		gonumAxpy(scale, src[r:r+n], dst)
	}
}

// gonumMomentum is the update in three BLAS passes: v = Mu*v; v += g;
// p -= LR*v.
func gonumMomentum[F downhill.Float](p, g, v []F, lr, mu F) {
	gonumScal(mu, v)
	gonumAxpy(1, g, v)
	gonumAxpy(-lr, v, p)
}

func vekScale[F downhill.Float](a F, x []F) {
	if is32[F]() {
		vek32.MulNumber_Inplace(s32(x), f32(a))
	} else {
		vek.MulNumber_Inplace(s64(x), f64(a))
	}
}

func vekDot[F downhill.Float](x, y []F) float64 {
	if is32[F]() {
		return float64(vek32.Dot(s32(x), s32(y)))
	}
	return vek.Dot(s64(x), s64(y))
}

// vekSumRows copies the first row, adds the others, then scales.
func vekSumRows[F downhill.Float](dst []F, scale F, src []F) {
	n := len(dst)
	copy(dst, src[:n])
	for r := n; r < len(src); r += n {
		if is32[F]() {
			vek32.Add_Inplace(s32(dst), s32(src[r:r+n]))
		} else {
			vek.Add_Inplace(s64(dst), s64(src[r:r+n]))
		}
	}
	vekScale(scale, dst)
}
