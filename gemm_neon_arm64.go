//go:build !purego

package downhill

import (
	"sync"
	"unsafe"
)

// Gemm's neon path: Go walks C in tiles of 8 rows by one panel of 8
// float32 (4 float64) columns and calls one assembly micro-kernel per
// tile (gemm_arm64.s), which runs the whole k-chain of every element of
// the tile in order of p and applies alpha and beta. Each panel of B is
// packed into a contiguous k×8 (k×4) buffer, zero-padded past n. A is
// read in place at any stride, except that the last rows (m not a
// multiple of 8) are copied into a zero-padded panel; a tile that
// overhangs C goes through an 8-row tile buffer, which is filled from C
// only when beta != 0 (C is not read otherwise), so nothing outside the
// m×n window of C is read or written.
//
// gemmNEON is the driver of the Gemm row of gen/internal/table: the
// generated switches gemm32/gemm64 (kernels_arm64.go) call it on this path
// when k > 0. The assembly it calls is its own: the //go:noescape
// declarations below are written by hand, not generated from the table.

// gemmNeonMR is the number of rows of a tile: 16 q accumulators.
const gemmNeonMR = 8

// gemmBetaZero is the flag of the micro-kernel for C = alpha*acc.
const gemmBetaZero = 1

var gemmNeonPool32, gemmNeonPool64 sync.Pool

func gemmNEON[F Float](transA, transB bool, m, n, k int, alpha F, a []F, lda int, b []F, ldb int, beta F, c []F, ldc int) {
	size := int(unsafe.Sizeof(alpha))
	nr := 32 / size // columns per panel: two q registers
	rs, ps := lda*size, size
	if transA {
		rs, ps = size, lda*size
	}
	flags := 0
	if beta == 0 {
		flags = gemmBetaZero
	}
	mFull := m / gemmNeonMR * gemmNeonMR
	buf := gemmNeonScratch[F](k*nr + k*gemmNeonMR)
	panel, apad := (*buf)[:k*nr], (*buf)[k*nr:]
	if mFull < m { // the last rows of op(A), zero-padded, p-major
		clear(apad)
		for r := 0; r < m-mFull; r++ {
			for p := 0; p < k; p++ {
				if transA {
					apad[p*gemmNeonMR+r] = a[p*lda+mFull+r]
				} else {
					apad[p*gemmNeonMR+r] = a[(mFull+r)*lda+p]
				}
			}
		}
	}
	var tile [gemmNeonMR * 8]F // one tile of C at the edges (8 float32 or 4 float64 columns used)
	pa := unsafe.Pointer(unsafe.SliceData(a))
	pc := unsafe.Pointer(unsafe.SliceData(c))
	for j0 := 0; j0 < n; j0 += nr {
		nj := min(nr, n-j0)
		gemmNeonPackB(transB, k, b, ldb, j0, nj, nr, panel)
		for i0 := 0; i0 < m; i0 += gemmNeonMR {
			mi := min(gemmNeonMR, m-i0)
			ap, ars, aps := unsafe.Add(pa, i0*rs), rs, ps
			if mi < gemmNeonMR {
				ap, ars, aps = unsafe.Pointer(unsafe.SliceData(apad)), size, gemmNeonMR*size
			}
			cp, cs := unsafe.Add(pc, (i0*ldc+j0)*size), ldc*size
			edge := mi < gemmNeonMR || nj < nr
			if edge {
				if beta != 0 {
					for r := 0; r < mi; r++ {
						copy(tile[r*nr:r*nr+nj], c[(i0+r)*ldc+j0:(i0+r)*ldc+j0+nj])
					}
				}
				cp, cs = unsafe.Pointer(&tile[0]), nr*size
			}
			if size == 4 {
				gemm32TileNEON(k, (*float32)(ap), ars, aps, (*float32)(unsafe.Pointer(unsafe.SliceData(panel))), (*float32)(cp), cs,
					*(*float32)(unsafe.Pointer(&alpha)), *(*float32)(unsafe.Pointer(&beta)), flags)
			} else {
				gemm64TileNEON(k, (*float64)(ap), ars, aps, (*float64)(unsafe.Pointer(unsafe.SliceData(panel))), (*float64)(cp), cs,
					*(*float64)(unsafe.Pointer(&alpha)), *(*float64)(unsafe.Pointer(&beta)), flags)
			}
			if edge {
				for r := 0; r < mi; r++ {
					copy(c[(i0+r)*ldc+j0:(i0+r)*ldc+j0+nj], tile[r*nr:r*nr+nj])
				}
			}
		}
	}
	gemmNeonPut(buf)
}

// gemmNeonPackB copies columns j0..j0+nj-1 of op(B), all k rows, into
// panel as panel[p*nr+c] = opB(p, j0+c), and +0 in columns nj..nr-1.
func gemmNeonPackB[F Float](transB bool, k int, b []F, ldb, j0, nj, nr int, panel []F) {
	panel = panel[:k*nr]
	for p := 0; p < k; p++ {
		row := panel[p*nr : p*nr+nr]
		if transB {
			for cc := 0; cc < nj; cc++ {
				row[cc] = b[(j0+cc)*ldb+p]
			}
		} else {
			copy(row, b[p*ldb+j0:p*ldb+j0+nj])
		}
		for cc := nj; cc < nr; cc++ {
			row[cc] = 0
		}
	}
}

// gemmNeonScratch returns a buffer of n elements from the pool of F;
// gemmNeonPut returns it.
func gemmNeonScratch[F Float](n int) *[]F {
	pool := &gemmNeonPool64
	if is32[F]() {
		pool = &gemmNeonPool32
	}
	if p, _ := pool.Get().(*[]F); p != nil && cap(*p) >= n {
		*p = (*p)[:n]
		return p
	}
	s := make([]F, n)
	return &s
}

func gemmNeonPut[F Float](p *[]F) {
	if is32[F]() {
		gemmNeonPool32.Put(p)
	} else {
		gemmNeonPool64.Put(p)
	}
}

// gemm32TileNEON and gemm64TileNEON compute one 8-row tile (gemm_arm64.s):
// for r < 8 and j < 8 (float32) or 4 (float64), with A(r,p) at
// a + r*rs + p*ps, B(p,j) at b + 32*p + j*size, C(r,j) at c + r*cs + j*size
// (strides in bytes):
//
//	acc := F(0)
//	for p := 0; p < k; p++ { acc = fma(A(r,p), B(p,j), acc) }
//	if flags&gemmBetaZero != 0 { C(r,j) = alpha * acc } else { C(r,j) = fma(alpha, acc, beta*C(r,j)) }
//
// k >= 0; a and b are not read when k == 0.
//
//go:noescape
func gemm32TileNEON(k int, a *float32, rs, ps int, b *float32, c *float32, cs int, alpha, beta float32, flags int)

//go:noescape
func gemm64TileNEON(k int, a *float64, rs, ps int, b *float64, c *float64, cs int, alpha, beta float64, flags int)
