package generic

import (
	"math"
	"sync"
	"unsafe"

	"github.com/downhill-go/downhill/kernels"
)

// Gemm is kernels.Gemm, bit for bit, in plain Go for speed: the generic
// path of every GOARCH (riscv64, purego builds, amd64 without AVX2).
//
// Structure (BLIS-like, without splitting k): B is packed in blocks of up
// to gemmBlockBytes, as panels of gemmNR columns (k rows each, padded with
// +0 past n); A is packed as panels of gemmMR rows (padded past m); a
// register tile of gemmMR×gemmNR accumulators runs the whole k-chain of
// its elements in order of p, in local variables, and the tile is then
// scaled into C (alpha, beta) element by element. Padded rows and columns
// are computed but never stored, so nothing outside the m×n window of C
// is written, and C is read only when beta != 0.
//
// float32: each fma runs as in kernels.FMA32's fast path (the product is
// exact in float64, the sum rounds once to float64, then to float32) and
// records whether that step needed FMA32's slow path (gemmFast32); a tile
// where any step did is recomputed with kernels.FMA32. float64: math.FMA
// (one instruction where the CPU has FMA).
//
// Scratch comes from a sync.Pool: after the first call of a given shape,
// Gemm does not allocate. The caller (package downhill) has checked the
// arguments.
func Gemm[F kernels.Float](transA, transB bool, m, n, k int, alpha F, a []F, lda int, b []F, ldb int, beta F, c []F, ldc int) {
	if m <= 0 || n <= 0 {
		return
	}
	if k == 0 {
		for i := 0; i < m; i++ {
			gemmScaleAll(c[i*ldc:i*ldc+n], 0, alpha, beta)
		}
		return
	}
	var z F
	// Columns of B per packed block: a multiple of gemmNR, at least one
	// panel, at most what n needs.
	nb := int(gemmBlockBytes/unsafe.Sizeof(z)) / k / gemmNR * gemmNR
	nb = min(max(nb, gemmNR), (n+gemmNR-1)/gemmNR*gemmNR)
	buf := gemmScratch[F](k * (nb + gemmMR))
	bp, ap := (*buf)[:k*nb], (*buf)[k*nb:k*(nb+gemmMR)]
	var t [gemmMR * gemmNR]F
	for j0 := 0; j0 < n; j0 += nb {
		nbj := min(nb, n-j0)
		gemmPackB(transB, k, b, ldb, j0, nbj, bp)
		for i0 := 0; i0 < m; i0 += gemmMR {
			mi := min(gemmMR, m-i0)
			gemmPackA(transA, k, a, lda, i0, mi, ap)
			for jj := 0; jj < nbj; jj += gemmNR {
				gemmTile(k, ap, bp[jj*k:(jj+gemmNR)*k], &t)
				nj := min(gemmNR, nbj-jj)
				for r := 0; r < mi; r++ {
					o := (i0+r)*ldc + j0 + jj
					gemmScaleRow(c[o:o+nj], t[r*gemmNR:r*gemmNR+nj], alpha, beta)
				}
			}
		}
	}
	gemmPut(buf)
}

const (
	gemmMR = 4 // rows of the register tile
	gemmNR = 4 // columns of the register tile
	// gemmBlockBytes bounds a packed block of B (k × nb): half of a Zen 3
	// or Neoverse L2, so that it stays there while every panel of A
	// passes over it. A k too large for one panel in that budget gets one
	// panel anyway (the chain is never split).
	gemmBlockBytes = 256 << 10
)

// gemmPackA copies rows i0..i0+mi-1 of op(A) (all k columns) into ap as
// ap[p*gemmMR+r] = opA(i0+r, p), with +0 in the rows past mi.
func gemmPackA[F kernels.Float](trans bool, k int, a []F, lda, i0, mi int, ap []F) {
	ap = ap[:k*gemmMR]
	if mi < gemmMR {
		clear(ap)
	}
	for r := 0; r < mi; r++ {
		if trans { // opA(i, p) = a[p*lda+i]
			for p := 0; p < k; p++ {
				ap[p*gemmMR+r] = a[p*lda+i0+r]
			}
		} else {
			row := a[(i0+r)*lda : (i0+r)*lda+k]
			for p, v := range row {
				ap[p*gemmMR+r] = v
			}
		}
	}
}

// gemmPackB copies columns j0..j0+nbj-1 of op(B) (all k rows) into bp as
// panels of gemmNR columns: bp[q*k*gemmNR + p*gemmNR + c] = opB(p,
// j0+q*gemmNR+c), with +0 in the columns past nbj.
func gemmPackB[F kernels.Float](trans bool, k int, b []F, ldb, j0, nbj int, bp []F) {
	for q := 0; q*gemmNR < nbj; q++ {
		panel := bp[q*k*gemmNR : (q+1)*k*gemmNR]
		nj := min(gemmNR, nbj-q*gemmNR)
		if nj < gemmNR {
			clear(panel)
		}
		j := j0 + q*gemmNR
		if trans { // opB(p, j) = b[j*ldb+p]
			for cc := 0; cc < nj; cc++ {
				col := b[(j+cc)*ldb : (j+cc)*ldb+k]
				for p, v := range col {
					panel[p*gemmNR+cc] = v
				}
			}
		} else {
			for p := 0; p < k; p++ {
				copy(panel[p*gemmNR:p*gemmNR+nj], b[p*ldb+j:p*ldb+j+nj])
			}
		}
	}
}

// gemmTile sets t[r*gemmNR+c] to the k-chain of fmas of row r of the
// packed A panel ap and column c of the packed B panel bp.
func gemmTile[F kernels.Float](k int, ap, bp []F, t *[gemmMR * gemmNR]F) {
	var z F
	if unsafe.Sizeof(z) == 4 {
		a, b := *(*[]float32)(unsafe.Pointer(&ap)), *(*[]float32)(unsafe.Pointer(&bp))
		t32 := (*[gemmMR * gemmNR]float32)(unsafe.Pointer(t))
		if !gemmTile32(k, a, b, t32) {
			gemmTile32Exact(k, a, b, t32)
		}
		return
	}
	gemmTile64(k, *(*[]float64)(unsafe.Pointer(&ap)), *(*[]float64)(unsafe.Pointer(&bp)),
		(*[gemmMR * gemmNR]float64)(unsafe.Pointer(t)))
}

// gemmTile64 is the float64 register tile: 16 chains of math.FMA.
func gemmTile64(k int, ap, bp []float64, t *[gemmMR * gemmNR]float64) {
	var c00, c01, c02, c03, c10, c11, c12, c13 float64
	var c20, c21, c22, c23, c30, c31, c32, c33 float64
	ap, bp = ap[:k*gemmMR], bp[:k*gemmNR]
	for p := 0; p < k; p++ {
		a := ap[p*gemmMR : p*gemmMR+gemmMR : p*gemmMR+gemmMR]
		b := bp[p*gemmNR : p*gemmNR+gemmNR : p*gemmNR+gemmNR]
		b0, b1, b2, b3 := b[0], b[1], b[2], b[3]
		a0 := a[0]
		c00 = math.FMA(a0, b0, c00)
		c01 = math.FMA(a0, b1, c01)
		c02 = math.FMA(a0, b2, c02)
		c03 = math.FMA(a0, b3, c03)
		a1 := a[1]
		c10 = math.FMA(a1, b0, c10)
		c11 = math.FMA(a1, b1, c11)
		c12 = math.FMA(a1, b2, c12)
		c13 = math.FMA(a1, b3, c13)
		a2 := a[2]
		c20 = math.FMA(a2, b0, c20)
		c21 = math.FMA(a2, b1, c21)
		c22 = math.FMA(a2, b2, c22)
		c23 = math.FMA(a2, b3, c23)
		a3 := a[3]
		c30 = math.FMA(a3, b0, c30)
		c31 = math.FMA(a3, b1, c31)
		c32 = math.FMA(a3, b2, c32)
		c33 = math.FMA(a3, b3, c33)
	}
	*t = [gemmMR * gemmNR]float64{
		c00, c01, c02, c03, c10, c11, c12, c13,
		c20, c21, c22, c23, c30, c31, c32, c33,
	}
}

// gemmFast32 is one step of a float32 chain, acc = gemmFMA(a, b, acc), as in
// kernels.FMA32's fast path: a, b and acc are float32 values held in
// float64, the product is exact, the sum rounds once to float64 and then
// to float32. It returns the new acc and flag, set to 1 when that result
// may be wrong: FMA32 would take its slow path, that is the float64 sum s
// is a float32 midpoint or nonzero and below the float32 normal range,
// and s is not exact (its TwoSum error e is not zero; an exact s converted
// to float32 is rounded once, correctly, whatever its bits). The test of
// the bits is a branch, almost never taken on ordinary data; exact
// midpoints (frequent with short significands: MNIST's 1.0 pixels and
// bias column) take it and compute e. An infinite or NaN s (inputs out of
// range) is not flagged: FMA32 also returns float32(s) for it. The
// product is exact, so a compiler fusing it into a sum changes nothing.
func gemmFast32(a, b, acc float64, flag uint64) (float64, uint64) {
	p := float64(a * b)
	s := p + acc
	if u := math.Float64bits(s); u&(1<<29-1) == 1<<28 || u<<1-1 < (1023-126)<<53-1 {
		bv := s - p
		if (p-(s-bv))+(acc-bv) != 0 {
			flag = 1
		}
	}
	return float64(float32(s)), flag
}

// gemmTile32 is the float32 register tile on gemmFast32 steps, computed as
// two tiles of 2×gemmNR (eight accumulators, which fit in the registers
// with the four values of B). It reports false if any step may be wrong;
// the caller then recomputes the tile exactly.
func gemmTile32(k int, ap, bp []float32, t *[gemmMR * gemmNR]float32) bool {
	return gemmTile32Rows(k, ap, bp, 0, t)|gemmTile32Rows(k, ap, bp, 2, t) == 0
}

// gemmTile32Rows computes rows r and r+1 of the tile.
func gemmTile32Rows(k int, ap, bp []float32, r int, t *[gemmMR * gemmNR]float32) uint64 {
	var c00, c01, c02, c03, c10, c11, c12, c13 float64
	var f uint64
	ap, bp = ap[:k*gemmMR], bp[:k*gemmNR]
	for p := 0; p < k; p++ {
		a := ap[p*gemmMR+r : p*gemmMR+r+2 : p*gemmMR+r+2]
		b := bp[p*gemmNR : p*gemmNR+gemmNR : p*gemmNR+gemmNR]
		b0, b1, b2, b3 := float64(b[0]), float64(b[1]), float64(b[2]), float64(b[3])
		a0 := float64(a[0])
		c00, f = gemmFast32(a0, b0, c00, f)
		c01, f = gemmFast32(a0, b1, c01, f)
		c02, f = gemmFast32(a0, b2, c02, f)
		c03, f = gemmFast32(a0, b3, c03, f)
		a1 := float64(a[1])
		c10, f = gemmFast32(a1, b0, c10, f)
		c11, f = gemmFast32(a1, b1, c11, f)
		c12, f = gemmFast32(a1, b2, c12, f)
		c13, f = gemmFast32(a1, b3, c13, f)
	}
	t[r*gemmNR+0], t[r*gemmNR+1], t[r*gemmNR+2], t[r*gemmNR+3] = float32(c00), float32(c01), float32(c02), float32(c03)
	t[r*gemmNR+4], t[r*gemmNR+5], t[r*gemmNR+6], t[r*gemmNR+7] = float32(c10), float32(c11), float32(c12), float32(c13)
	return f
}

// gemmTile32Exact is gemmTile32 with kernels.FMA32 for every step.
func gemmTile32Exact(k int, ap, bp []float32, t *[gemmMR * gemmNR]float32) {
	for r := 0; r < gemmMR; r++ {
		for c := 0; c < gemmNR; c++ {
			var acc float32
			for p := 0; p < k; p++ {
				acc = kernels.FMA32(ap[p*gemmMR+r], bp[p*gemmNR+c], acc)
			}
			t[r*gemmNR+c] = acc
		}
	}
}

// gemmScaleRow sets c[j] = alpha*acc[j] if beta == 0 (c is not read), else
// gemmFMA(alpha, acc[j], beta*c[j]) with beta*c[j] rounded on its own.
func gemmScaleRow[F kernels.Float](c, acc []F, alpha, beta F) {
	acc = acc[:len(c)]
	if beta == 0 {
		for j, v := range acc {
			c[j] = F(alpha * v)
		}
		return
	}
	for j, v := range acc {
		c[j] = gemmFMA(alpha, v, F(beta*c[j]))
	}
}

// gemmScaleAll is gemmScaleRow with every acc equal to v.
func gemmScaleAll[F kernels.Float](c []F, v, alpha, beta F) {
	for j := range c {
		if beta == 0 {
			c[j] = F(alpha * v)
		} else {
			c[j] = gemmFMA(alpha, v, F(beta*c[j]))
		}
	}
}

// gemmFMA is a*b+c rounded once.
func gemmFMA[F kernels.Float](a, b, c F) F {
	if unsafe.Sizeof(a) == 8 {
		return F(math.FMA(float64(a), float64(b), float64(c)))
	}
	return F(kernels.FMA32(float32(a), float32(b), float32(c)))
}

var gemmPool32, gemmPool64 sync.Pool

// gemmScratch returns a buffer of at least n elements from the pool of F;
// gemmPut returns it.
func gemmScratch[F kernels.Float](n int) *[]F {
	var z F
	pool := &gemmPool64
	if unsafe.Sizeof(z) == 4 {
		pool = &gemmPool32
	}
	if p, _ := pool.Get().(*[]F); p != nil {
		if cap(*p) >= n {
			*p = (*p)[:n]
			return p
		}
	}
	s := make([]F, n)
	return &s
}

func gemmPut[F kernels.Float](p *[]F) {
	var z F
	if unsafe.Sizeof(z) == 4 {
		gemmPool32.Put(p)
	} else {
		gemmPool64.Put(p)
	}
}
