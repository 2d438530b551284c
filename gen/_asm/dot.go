package main

import (
	"fmt"

	"github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"

	"github.com/downhill-go/downhill/gen/internal/table"
)

func init() {
	register("dot", "dot_amd64.s", func(c *build.Context) {
		k, _ := table.Lookup("Dot")
		for _, e := range widths {
			dot(c, k, e)
		}
	})
}

// dot emits Dot in the canonical order of kernels.Dot: K = 8 vectors of
// lanes (64 float32, 32 float64), Yj holding acc[j*lanes:(j+1)*lanes].
// Each block of K elements takes one FMA per lane; the last, partial
// block is padded with +0 through masked loads (a lane past the end takes
// fma(+0, +0, acc), which turns -0 into +0 as the specification does);
// then the lanes are combined by the tree acc[k] += acc[k+h],
// h = K/2, ..., 1.
func dot(c *build.Context, k table.Kernel, e elem) {
	K := 8 * e.lanes
	a := kernel(c, k, e,
		fmt.Sprintf("K = %d lanes: Y0-Y7 hold acc (Yj = acc[%dj:%dj+%d]).", K, e.lanes, e.lanes, e.lanes),
		"Registers: SI = &x[i], DI = &y[i], CX = elements left; Y8-Y15 = x",
		"blocks in the main loop; in the tail Y8 = count left, Y9 = lane",
		fmt.Sprintf("numbers, Y10 = %d in every lane, Y11 = mask, Y12/Y13 = masked x/y.", e.lanes))
	a.MOVQ(a.arg("x", "base"), RSI)
	a.MOVQ(a.arg("x", "len"), RCX)
	a.MOVQ(a.arg("y", "base"), RDI)
	for j := 0; j < 8; j++ {
		a.VXOR(yregs[j], yregs[j], yregs[j])
	}
	a.CMPQ(RCX, U32(K))
	a.JB(a.L("tail"))

	a.Here("block")
	a.Comment(fmt.Sprintf("one block of %d lanes: acc = x*y + acc, rounded once", K))
	for j := 0; j < 8; j++ {
		a.VMOVU(mem(RSI, 32*j, nil), yregs[8+j])
	}
	for j := 0; j < 8; j++ {
		a.VFMADD231(mem(RDI, 32*j, nil), yregs[8+j], yregs[j])
	}
	a.ADDQ(U32(256), RSI)
	a.ADDQ(U32(256), RDI)
	a.SUBQ(U32(K), RCX)
	a.CMPQ(RCX, U32(K))
	a.JAE(a.L("block"))

	a.Here("tail")
	a.Comment(
		fmt.Sprintf("The last block, 1..%d elements, padded with +0: every accumulator", K-1),
		"takes an FMA. Masks are built per register from the count left, so",
		"registers wholly past the end load nothing.")
	a.TESTQ(RCX, RCX)
	a.JZ(a.L("reduce"))
	a.VMOVI(a.GP(RCX), X8)
	a.VPBROADCAST(X8, Y8)
	a.VMOVDQU(laneIota(e), Y9)
	if e.bits == 32 {
		a.MOVL(U32(e.lanes), EAX)
	} else {
		a.MOVQ(U32(e.lanes), RAX)
	}
	a.VMOVI(a.GP(RAX), X10)
	a.VPBROADCAST(X10, Y10)
	for j := 0; j < 8; j++ {
		a.VPCMPGT(Y9, Y8, Y11)
		a.VMASKMOV(mem(RSI, 32*j, nil), Y11, Y12)
		a.VMASKMOV(mem(RDI, 32*j, nil), Y11, Y13)
		a.VFMADD231(Y13, Y12, yregs[j])
		a.VPADD(Y10, Y9, Y9)
	}

	a.Here("reduce")
	h := K / 2
	a.Comment(fmt.Sprintf("the combining tree, h = %d, %d, ..., 1", h, h/2))
	a.VADD(Y4, Y0, Y0) // h = K/2
	a.VADD(Y5, Y1, Y1)
	a.VADD(Y6, Y2, Y2)
	a.VADD(Y7, Y3, Y3)
	a.VADD(Y2, Y0, Y0) // h = K/4
	a.VADD(Y3, Y1, Y1)
	a.VADD(Y1, Y0, Y0) // h = K/8 = lanes
	a.VEXTRACTF128(U8(1), Y0, X1)
	if e.bits == 32 {
		a.VADDPS(X1, X0, X0) // h = 4
		a.VMOVHLPS(X0, X0, X1)
		a.VADDPS(X1, X0, X0) // h = 2
		a.VMOVSHDUP(X0, X1)
		a.VADDSS(X1, X0, X0) // h = 1
	} else {
		a.VADDPD(X1, X0, X0) // h = 2
		a.VUNPCKHPD(X0, X0, X1)
		a.VADDSD(X1, X0, X0) // h = 1
	}
	a.VZEROUPPER()
	a.VMOVSCALAR(X0, a.ret())
	a.RET()
}

// ret is the frame address of the function's result.
func (a asm) ret() Mem {
	b, err := a.ReturnIndex(0).Resolve()
	if err != nil {
		panic(err)
	}
	return b.Addr
}
