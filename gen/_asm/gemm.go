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
	bcast(mustAddr(c, "alpha"), alpha)
	bcast(mustAddr(c, "beta"), beta)
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

// mustAddr is the frame address of parameter name.
func mustAddr(c *build.Context, name string) Mem {
	b, err := c.Param(name).Resolve()
	if err != nil {
		panic(err)
	}
	return b.Addr
}
