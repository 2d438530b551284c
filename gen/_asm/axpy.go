package main

import (
	"fmt"

	"github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"

	"github.com/downhill-go/downhill/gen/internal/table"
)

// The axpy family: Axpy, Axpby and Scale, element by element, in
// independent lanes. One streaming loop serves all three; a kernel only
// says how one vector of its output is computed.

// streamOp is one element-wise kernel.
type streamOp struct {
	kernel string // table name
	dst    string // the slice written (and read)
	src    string // the other slice read, "" for none
	// scalars broadcast once: parameter name -> register.
	scalars []scalarArg
	head    VecPhysical // holds the deferred head vector
	// first computes the output vector d from the destination operand y
	// (memory, or d itself in the tail when y was loaded into d already);
	// second finishes it from the source operand x (memory or register).
	first  func(a asm, y Op, d VecPhysical)
	second func(a asm, x Op, d VecPhysical)
	doc    string
}

type scalarArg struct {
	param string
	reg   VecPhysical
}

var streamOps = []streamOp{
	{
		kernel: "Axpy", dst: "y", src: "x",
		scalars: []scalarArg{{"alpha", Y15}},
		head:    Y13,
		first: func(a asm, y Op, d VecPhysical) {
			if y != d {
				a.VMOVU(y, d)
			}
		},
		second: func(a asm, x Op, d VecPhysical) { a.VFMADD231(x, Y15, d) }, // y = alpha*x + y, rounded once
		doc:    "Y0-Y7 = eight vectors of y",
	},
	{
		kernel: "Axpby", dst: "y", src: "x",
		scalars: []scalarArg{{"alpha", Y15}, {"beta", Y13}},
		head:    Y12,
		first:   func(a asm, y Op, d VecPhysical) { a.VMUL(y, Y13, d) },      // beta*y, rounded on its own
		second:  func(a asm, x Op, d VecPhysical) { a.VFMADD231(x, Y15, d) }, // alpha*x + beta*y, rounded once
		doc:     "Y13 = beta, Y0-Y7 = beta*y then the result",
	},
	{
		kernel: "Scale", dst: "x",
		scalars: []scalarArg{{"alpha", Y15}},
		head:    Y13,
		first:   func(a asm, y Op, d VecPhysical) { a.VMUL(y, Y15, d) },
		doc:     "Y0-Y7 = eight vectors of the result",
	},
}

func init() {
	register("axpy", "axpy_amd64.s", func(c *build.Context) {
		for _, op := range streamOps {
			k, ok := table.Lookup(op.kernel)
			if !ok {
				panic(op.kernel)
			}
			for _, e := range widths {
				stream(c, k, e, op)
			}
		}
	})
}

// stream emits one element-wise kernel: 8 vectors per iteration, then
// single vectors, then one masked vector. When the output is not 32-byte
// aligned, the first vector is computed up front and stored last, so that
// the loops store aligned (a misaligned store stream costs ~20% at L1
// sizes); the loops also write the head's elements past the alignment
// point, and the deferred store overwrites them with the head's values,
// which came from the original inputs (even when x and y are one slice).
func stream(c *build.Context, k table.Kernel, e elem, op streamOp) {
	block := 8 * e.lanes
	srcDoc := ""
	if op.src != "" {
		srcDoc = fmt.Sprintf("SI = &%s[i], ", op.src)
	}
	a := kernel(c, k, e,
		fmt.Sprintf("Registers: %sDI = &%s[i], CX = elements left, Y15 = alpha,", srcDoc, op.dst),
		fmt.Sprintf("%s (%d elements per iteration), Y14 = tail mask,", op.doc, block),
		fmt.Sprintf("R8 = &%s[0] and %s = its first vector while the head store is", op.dst, op.head.Asm()),
		"deferred (else R8 = 0). Alignment: see the comment of the generator,",
		"gen/_asm/axpy.go.")
	if op.src != "" {
		a.MOVQ(a.arg(op.src, "base"), RSI)
	}
	a.MOVQ(a.arg(op.dst, "len"), RCX)
	a.MOVQ(a.arg(op.dst, "base"), RDI)
	for _, s := range op.scalars {
		a.VBROADCAST(a.arg(s.param, ""), s.reg)
	}
	a.XORL(R8L, R8L) // no deferred head store
	by := func(n int) string { return fmt.Sprintf("by%d", n) }
	a.CMPQ(RCX, U32(block))
	a.JB(a.L(by(e.lanes)))
	a.MOVQ(RDI, RAX)
	a.ANDQ(U8(31), RAX)
	a.JZ(a.L(by(block)))

	a.Comment(fmt.Sprintf("%s is not 32-byte aligned: compute its first vector now, store it last.", op.dst))
	op.first(a, mem(RDI, 0, nil), op.head)
	if op.second != nil {
		op.second(a, mem(RSI, 0, nil), op.head)
	}
	a.MOVQ(RDI, R8)
	a.SUBQ(U8(32), RAX)
	a.NEGQ(RAX) // 32 - dst%32 bytes: h >= 1 elements
	if op.src != "" {
		a.ADDQ(RAX, RSI)
	}
	a.ADDQ(RAX, RDI)
	a.SHRQ(U8(e.shift), RAX)
	a.SUBQ(RAX, RCX)
	a.CMPQ(RCX, U32(block))
	a.JB(a.L(by(e.lanes)))

	a.Here(by(block))
	for j := 0; j < 8; j++ {
		op.first(a, mem(RDI, 32*j, nil), yregs[j])
	}
	if op.second != nil {
		for j := 0; j < 8; j++ {
			op.second(a, mem(RSI, 32*j, nil), yregs[j])
		}
	}
	for j := 0; j < 8; j++ {
		a.VMOVU(yregs[j], mem(RDI, 32*j, nil))
	}
	if op.src != "" {
		a.ADDQ(U32(256), RSI)
	}
	a.ADDQ(U32(256), RDI)
	a.SUBQ(U32(block), RCX)
	a.CMPQ(RCX, U32(block))
	a.JAE(a.L(by(block)))

	a.Here(by(e.lanes))
	a.CMPQ(RCX, U8(e.lanes))
	a.JB(a.L("tail"))
	op.first(a, mem(RDI, 0, nil), Y0)
	if op.second != nil {
		op.second(a, mem(RSI, 0, nil), Y0)
	}
	a.VMOVU(Y0, mem(RDI, 0, nil))
	if op.src != "" {
		a.ADDQ(U8(32), RSI)
	}
	a.ADDQ(U8(32), RDI)
	a.SUBQ(U8(e.lanes), RCX)
	a.JMP(a.L(by(e.lanes)))

	a.Here("tail")
	a.Comment(fmt.Sprintf("0..%d elements left: one masked vector", e.lanes-1))
	a.TESTQ(RCX, RCX)
	a.JZ(a.L("done"))
	a.laneMask(RCX, X14, Y14)
	if op.src != "" {
		a.VMASKMOV(mem(RSI, 0, nil), Y14, Y1)
	}
	a.VMASKMOV(mem(RDI, 0, nil), Y14, Y0)
	op.first(a, Y0, Y0)
	if op.second != nil {
		op.second(a, Y1, Y0)
	}
	a.VMASKMOV(Y0, Y14, mem(RDI, 0, nil))

	a.Here("done")
	a.TESTQ(R8, R8)
	a.JZ(a.L("ret"))
	a.VMOVU(op.head, mem(R8, 0, nil)) // the deferred head

	a.Here("ret")
	a.VZEROUPPER()
	a.RET()
}
