package main

import (
	"fmt"

	"github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// The gemm family: the register-tile micro-kernels of Gemm's avx2 path
// (gemm_avx2_amd64.go drives them). One tile is mr rows (1..6) by one
// panel of 16 float32 or 8 float64 columns: two ymm accumulators per row.
// Every element's k-chain runs in one accumulator lane, in order of p:
//
//	acc = +0
//	for p := 0; p < k; p++ { acc = fma(A(i,p), B(p,j), acc) } // VFMADD231PS/PD, one rounding
//	flags&gemmBetaZero != 0: C(i,j) = alpha*acc               // VMULPS/PD, C not read
//	else:                    C(i,j) = fma(alpha, acc, beta*C(i,j))
//
// which is kernels.Gemm bit for bit: the chain is never split, and each
// step is a single-rounding fma of the same operands.
//
// Addressing (all strides in bytes): A(i0+r, p) is at a + r*rs + p*ps
// (rs = lda*size, ps = size, or the other way round when transA), so A
// is read in place, never packed; B(p, j0+c) is at b + p*bs + c*size
// (B in place at bs = ldb*size, or a packed panel at bs = 16 or 8
// elements, zero-padded); C(i0+r, j0+c) is at c + r*cs + c*size. With
// flags&gemmMasked, the two column vectors of C are read and written
// through the lane masks mask0 and mask1 (VMASKMOVPS/PD: masked-off lanes
// are neither read nor written, so no access leaves the m×n window).
//
// Register plan:
//
//	Y0..Y11   accumulators: row r in Y(2r) (columns 0..7 or 0..3) and Y(2r+1)
//	Y12, Y13  the two vectors of row p of B; after the loop alpha, beta
//	Y14       A(i0+r, p) broadcast; after the loop the result being stored
//	Y15       the lane mask of the vector being stored
//	CX        p counter (k down to 0)
//	SI, DI    A rows 0..2 and rows 3..5 (DI = SI + 3*rs), advanced by ps
//	R8        rs; R9 ps; R10 b, advanced by bs; R11 bs
//	SI, R8    after the loop: the row of C, and cs
func init() {
	register("gemm", "gemm_amd64.s", genGemm)
}

// Flags of the gemm micro-kernels (gemm_avx2_amd64.go has the same).
const (
	gemmBetaZero = 1
	gemmMasked   = 2
)

func genGemm(c *build.Context) {
	for _, t := range []struct {
		name string
		size int
	}{{"float32", 4}, {"float64", 8}} {
		for mr := 1; mr <= 6; mr++ {
			genGemmTile(c, t.name, t.size, mr)
		}
	}
	genGemmPack(c)
	genGemmPackT(c, "float32", 4)
	genGemmPackT(c, "float64", 8)
}

// genGemmPackT emits gemmPackT{32,64}AVX2, the packing of a panel of B
// when transB: column j of op(B) is row j of b, so the panel is a
// transpose, done in L×L blocks (L = 8 float32 or 4 float64 lanes) with
// unpack, shuffle and 128-bit permutes. Rows of b at or past nj become
// +0 columns of the panel (no load).
func genGemmPackT(c *build.Context, typ string, size int) {
	bits, lanes := 8*size, 32/size
	name := fmt.Sprintf("gemmPackT%dAVX2", bits)
	c.Function(name)
	c.Attributes(0x4) // NOSPLIT
	c.SignatureExpr(fmt.Sprintf("func(kb int, src *%[1]s, ss int, nj int, dst *%[1]s)", typ))
	c.Comment(
		fmt.Sprintf("For p < %d*kb and c < %d (the panel's columns, two blocks of %d):", lanes, 2*lanes, lanes),
		"  column c of dst row p (64 bytes a row) = the element at src + c*ss + p*size if c < nj, else +0",
		fmt.Sprintf("Registers: CX block counter; SI src of the block (advanced by %d bytes); R8 ss;", 32),
		"R9 nj; DI dst (advanced by L rows of 64 bytes); DX the row of src being loaded;",
		"Y0..Y7 rows in, Y8..Y15 unpacked, Y0..Y7 shuffled, Y8..Y15 columns out.",
	)
	kb, src, ss, nj, dst, q := reg.RCX, reg.RSI, reg.R8, reg.R9, reg.RDI, reg.RDX
	y := []reg.VecPhysical{reg.Y0, reg.Y1, reg.Y2, reg.Y3, reg.Y4, reg.Y5, reg.Y6, reg.Y7,
		reg.Y8, reg.Y9, reg.Y10, reg.Y11, reg.Y12, reg.Y13, reg.Y14, reg.Y15}
	c.Load(c.Param("kb"), kb)
	c.Load(c.Param("src"), src)
	c.Load(c.Param("ss"), ss)
	c.Load(c.Param("nj"), nj)
	c.Load(c.Param("dst"), dst)
	c.TESTQ(kb, kb)
	c.JEQ(LabelRef(name + "_done"))
	c.Label(name + "_loop")
	c.MOVQ(src, q)
	for cb := 0; cb < 2; cb++ {
		for r := 0; r < lanes; r++ {
			row := cb*lanes + r
			zero, next := fmt.Sprintf("%s_zero%d", name, row), fmt.Sprintf("%s_next%d", name, row)
			c.CMPQ(nj, U32(row))
			c.JLE(LabelRef(zero))
			c.VMOVUPS(Mem{Base: q}, y[r])
			c.JMP(LabelRef(next))
			c.Label(zero)
			c.VXORPS(y[r], y[r], y[r])
			c.Label(next)
			c.ADDQ(ss, q)
		}
		c.Commentf("transpose rows %d..%d into columns %d..%d of %d panel rows", cb*lanes, cb*lanes+lanes-1, cb*lanes, cb*lanes+lanes-1, lanes)
		var out []reg.VecPhysical
		if size == 4 {
			// t = unpack pairs of rows; u = shuffle pairs of t; out = 128-bit halves of u.
			for i := 0; i < 4; i++ {
				c.VUNPCKLPS(y[2*i+1], y[2*i], y[8+2*i])
				c.VUNPCKHPS(y[2*i+1], y[2*i], y[8+2*i+1])
			}
			for h := 0; h < 2; h++ { // rows 0..3, rows 4..7
				t0, t1, t2, t3 := y[8+4*h], y[9+4*h], y[10+4*h], y[11+4*h]
				c.VSHUFPS(U8(0x44), t2, t0, y[4*h])
				c.VSHUFPS(U8(0xEE), t2, t0, y[4*h+1])
				c.VSHUFPS(U8(0x44), t3, t1, y[4*h+2])
				c.VSHUFPS(U8(0xEE), t3, t1, y[4*h+3])
			}
			for i := 0; i < 4; i++ {
				c.VPERM2F128(U8(0x20), y[4+i], y[i], y[8+i])
				c.VPERM2F128(U8(0x31), y[4+i], y[i], y[12+i])
			}
			out = y[8:16]
		} else {
			c.VUNPCKLPD(y[1], y[0], y[8])
			c.VUNPCKHPD(y[1], y[0], y[9])
			c.VUNPCKLPD(y[3], y[2], y[10])
			c.VUNPCKHPD(y[3], y[2], y[11])
			c.VPERM2F128(U8(0x20), y[10], y[8], y[12])
			c.VPERM2F128(U8(0x20), y[11], y[9], y[13])
			c.VPERM2F128(U8(0x31), y[10], y[8], y[14])
			c.VPERM2F128(U8(0x31), y[11], y[9], y[15])
			out = y[12:16]
		}
		for i, o := range out {
			c.VMOVUPS(o, Mem{Base: dst, Disp: 64*i + 32*cb})
		}
	}
	c.ADDQ(U32(32), src)
	c.ADDQ(U32(64*lanes), dst)
	c.DECQ(kb)
	c.JNE(LabelRef(name + "_loop"))
	c.Label(name + "_done")
	c.VZEROUPPER()
	c.RET()
}

// genGemmPack emits gemmPackAVX2, which copies a full panel of B (64
// bytes of each of k rows, ss bytes apart) into a contiguous panel.
func genGemmPack(c *build.Context) {
	c.Function("gemmPackAVX2")
	c.Attributes(0x4) // NOSPLIT
	c.SignatureExpr("func(k int, src *byte, ss int, dst *byte)")
	c.Comment(
		"for p := 0; p < k; p++ { copy(dst[64*p:64*p+64], src[ss*p:ss*p+64]) } (bytes)",
		"Registers: CX p counter; SI src, advanced by ss (DX); DI dst; Y0, Y1 one row.",
	)
	k, src, ss, dst := reg.RCX, reg.RSI, reg.RDX, reg.RDI
	c.Load(c.Param("k"), k)
	c.Load(c.Param("src"), src)
	c.Load(c.Param("ss"), ss)
	c.Load(c.Param("dst"), dst)
	c.TESTQ(k, k)
	c.JEQ(LabelRef("gemmPackAVX2_done"))
	c.Label("gemmPackAVX2_loop")
	c.VMOVUPS(Mem{Base: src}, reg.Y0)
	c.VMOVUPS(Mem{Base: src, Disp: 32}, reg.Y1)
	c.VMOVUPS(reg.Y0, Mem{Base: dst})
	c.VMOVUPS(reg.Y1, Mem{Base: dst, Disp: 32})
	c.ADDQ(ss, src)
	c.ADDQ(U32(64), dst)
	c.DECQ(k)
	c.JNE(LabelRef("gemmPackAVX2_loop"))
	c.Label("gemmPackAVX2_done")
	c.VZEROUPPER()
	c.RET()
}

func genGemmTile(c *build.Context, typ string, size, mr int) {
	bits := 8 * size
	name := fmt.Sprintf("gemm%dTile%dAVX2", bits, mr)
	c.Function(name)
	c.Attributes(0x4) // NOSPLIT
	c.SignatureExpr(fmt.Sprintf("func(k int, a *%[1]s, rs, ps int, b *%[1]s, bs int, c *%[1]s, cs int, alpha, beta %[1]s, flags int, mask0, mask1 *int%[2]d)", typ, bits))
	c.Doc(
		fmt.Sprintf("%s: one %d×%d tile of Gemm for %s, k-chains in order of p (see gen/_asm/gemm.go).", name, mr, 64/size, typ),
	)

	fma, mul, bcast, maskmov := c.VFMADD231PS, c.VMULPS, c.VBROADCASTSS, c.VMASKMOVPS
	if size == 8 {
		fma, mul, bcast, maskmov = c.VFMADD231PD, c.VMULPD, c.VBROADCASTSD, c.VMASKMOVPD
	}
	y := []reg.VecPhysical{reg.Y0, reg.Y1, reg.Y2, reg.Y3, reg.Y4, reg.Y5, reg.Y6, reg.Y7,
		reg.Y8, reg.Y9, reg.Y10, reg.Y11, reg.Y12, reg.Y13, reg.Y14, reg.Y15}
	acc := y[:2*mr]
	b0, b1, av, mask := y[12], y[13], y[14], y[15]
	k, pa, pa3, rs, ps, pb, bs := reg.RCX, reg.RSI, reg.RDI, reg.R8, reg.R9, reg.R10, reg.R11
	loop, tail := name+"_loop", name+"_tail"

	c.Comment(
		fmt.Sprintf("For r < %d and each column j of the panel (%d lanes, masked ones untouched):", mr, 64/size),
		"  acc := 0; for p := 0; p < k; p++ { acc = fma(A(r,p), B(p,j), acc) }",
		"  C(r,j) = alpha*acc if flags&1 (C not read), else fma(alpha, acc, beta*C(r,j))",
		"A(r,p) at a + r*rs + p*ps, B(p,j) at b + p*bs + j*size, C(r,j) at c + r*cs + j*size.",
		"Registers: Y0..Y11 acc (row r: Y(2r), Y(2r+1)); Y12, Y13 row p of B, then alpha, beta;",
		"Y14 broadcast A(r,p), then the result; Y15 lane mask; CX p counter; SI, DI rows 0..2, 3..5",
		"of A (DI = SI + 3*rs); R8 rs; R9 ps; R10 b; R11 bs; after the loop SI row of C, R8 cs;",
		"AX flags; DX, BX mask0, mask1.",
	)
	c.Comment("acc = +0 in every lane")
	for _, r := range acc {
		c.VXORPS(r, r, r)
	}
	c.Load(c.Param("k"), k)
	c.Load(c.Param("a"), pa)
	c.Load(c.Param("rs"), rs)
	c.Load(c.Param("ps"), ps)
	c.Load(c.Param("b"), pb)
	c.Load(c.Param("bs"), bs)
	if mr > 3 {
		c.Comment("rows 3..5 of A: DI = SI + 3*rs")
		c.LEAQ(Mem{Base: pa, Index: rs, Scale: 2}, pa3)
		c.ADDQ(rs, pa3)
	}
	c.TESTQ(k, k)
	c.JEQ(LabelRef(tail))

	c.Label(loop)
	c.Comment("row p of B: columns 0..7 and 8..15 (float64: 0..3, 4..7)")
	c.VMOVUPS(Mem{Base: pb}, b0)
	c.VMOVUPS(Mem{Base: pb, Disp: 32}, b1)
	for r := 0; r < mr; r++ {
		var src Mem
		switch r {
		case 0:
			src = Mem{Base: pa}
		case 1:
			src = Mem{Base: pa, Index: rs, Scale: 1}
		case 2:
			src = Mem{Base: pa, Index: rs, Scale: 2}
		case 3:
			src = Mem{Base: pa3}
		case 4:
			src = Mem{Base: pa3, Index: rs, Scale: 1}
		case 5:
			src = Mem{Base: pa3, Index: rs, Scale: 2}
		}
		c.Commentf("acc[%d][:] = fma(A(i0+%d, p), B(p, :), acc[%d][:])", r, r, r)
		bcast(src, av)
		fma(b0, av, acc[2*r])
		fma(b1, av, acc[2*r+1])
	}
	c.ADDQ(ps, pa)
	if mr > 3 {
		c.ADDQ(ps, pa3)
	}
	c.ADDQ(bs, pb)
	c.DECQ(k)
	c.JNE(LabelRef(loop))

	c.Label(tail)
	alpha, beta := b0, b1
	pc, cs, flags := reg.RSI, reg.R8, reg.RAX
	c.Comment("Y12 = alpha, Y13 = beta in every lane")
	bcast(gemmParamAddr(c, "alpha"), alpha)
	bcast(gemmParamAddr(c, "beta"), beta)
	c.Load(c.Param("c"), pc)
	c.Load(c.Param("cs"), cs)
	c.Load(c.Param("flags"), flags)
	masked, zero, mzero := name+"_masked", name+"_beta0", name+"_masked_beta0"
	c.TESTQ(U32(gemmMasked), flags)
	c.JNE(LabelRef(masked))
	c.TESTQ(U32(gemmBetaZero), flags)
	c.JNE(LabelRef(zero))

	c.Comment("C(i,j) = fma(alpha, acc, beta*C(i,j)), whole rows of the panel")
	for r := 0; r < mr; r++ {
		for v := 0; v < 2; v++ {
			m := Mem{Base: pc, Disp: 32 * v}
			mul(m, beta, av)
			fma(acc[2*r+v], alpha, av)
			c.VMOVUPS(av, m)
		}
		if r < mr-1 {
			c.ADDQ(cs, pc)
		}
	}
	c.VZEROUPPER()
	c.RET()

	c.Label(zero)
	c.Comment("C(i,j) = alpha*acc, whole rows of the panel (C not read)")
	for r := 0; r < mr; r++ {
		for v := 0; v < 2; v++ {
			mul(acc[2*r+v], alpha, av)
			c.VMOVUPS(av, Mem{Base: pc, Disp: 32 * v})
		}
		if r < mr-1 {
			c.ADDQ(cs, pc)
		}
	}
	c.VZEROUPPER()
	c.RET()

	m0, m1 := reg.RDX, reg.RBX
	c.Label(masked)
	c.Load(c.Param("mask0"), m0)
	c.Load(c.Param("mask1"), m1)
	c.TESTQ(U32(gemmBetaZero), flags)
	c.JNE(LabelRef(mzero))
	c.Comment("As above through the lane masks: masked-off lanes of C are neither read nor written")
	for r := 0; r < mr; r++ {
		for v, mp := range []reg.GPPhysical{m0, m1} {
			m := Mem{Base: pc, Disp: 32 * v}
			c.VMOVDQU(Mem{Base: mp}, mask)
			maskmov(m, mask, av)
			mul(av, beta, av)
			fma(acc[2*r+v], alpha, av)
			maskmov(av, mask, m)
		}
		if r < mr-1 {
			c.ADDQ(cs, pc)
		}
	}
	c.VZEROUPPER()
	c.RET()

	c.Label(mzero)
	for r := 0; r < mr; r++ {
		for v, mp := range []reg.GPPhysical{m0, m1} {
			c.VMOVDQU(Mem{Base: mp}, mask)
			mul(acc[2*r+v], alpha, av)
			maskmov(av, mask, Mem{Base: pc, Disp: 32 * v})
		}
		if r < mr-1 {
			c.ADDQ(cs, pc)
		}
	}
	c.VZEROUPPER()
	c.RET()
}

// gemmParamAddr is the frame address of parameter name.
func gemmParamAddr(c *build.Context, name string) Mem {
	b, err := c.Param(name).Resolve()
	if err != nil {
		panic(err)
	}
	return b.Addr
}
