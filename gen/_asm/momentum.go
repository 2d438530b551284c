package main

import (
	"fmt"

	"github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"

	"github.com/downhill-go/downhill/gen/internal/table"
)

// The momentum family: MomentumStep and BatchMomentumStep, the rule of
// kernels.MomentumStep, one vector at a time:
//
//	g' = g xor the sign mask                   VXORP  (Y15: sign bit if Maximize)
//	d  = g', or fma(wd, p, g') if WeightDecay  VFMADD231P
//	v' = d, or fma(mu, v, c*d) if not Fresh    VMULP (c*d rounded alone), VFMADD231P
//	s  = d if Mu == 0; v', or fma(mu, v', d) if Nesterov
//	v  = v' (not when Mu == 0); p = fma(negLR, s, p)   VFMADD213P
//
// Loop variants, not branches: each kernel holds ten copies of its loops,
// one per variant (5 momentum kinds, with and without weight decay), and
// jumps to the one the mode bits select once per call, so the loops test
// no flag and do no work a variant does not need (v is not even loaded
// when Fresh). The reads and writes of one element come in the order of
// the kernels loop body, so p, g and v may be one slice: the final fma
// reads p after v was written (in the masked head and tail, p is loaded
// again after the store of v for that reason).
//
// Vector registers common to every kernel: Y15 = sign mask, Y14 = negLR,
// Y13 = mu, Y12 = c, Y11 = wd, Y10 = head or tail mask, Y0-Y7 = d (then
// s) of eight vectors, Y8, Y9 = c*d (then v'), Y2, Y3 = masked p and v in
// the head and the tail.

// Mode bits, as momentumMode in momentum.go sets them.
const (
	modeMaximize = 1 << iota
	modeDecay
	modeMu
	modeHistory
	modeNesterov
)

// variant is one loop variant: kind 0 Mu == 0, 1 Fresh, 2 Fresh and
// Nesterov, 3 history, 4 history and Nesterov; wd: WeightDecay != 0.
type variant struct {
	kind int
	wd   bool
}

func (v variant) String() string { return fmt.Sprintf("v%d", v.kind+5*b2i(v.wd)) }

func (v variant) readsV() bool { return v.kind >= 3 }

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

var variants = func() []variant {
	var out []variant
	for _, wd := range []bool{false, true} {
		for k := 0; k < 5; k++ {
			out = append(out, variant{k, wd})
		}
	}
	return out
}()

func init() {
	register("momentum", "momentum_amd64.s", func(c *build.Context) {
		ms, _ := table.Lookup("MomentumStep")
		bs, _ := table.Lookup("BatchMomentumStep")
		for _, e := range widths {
			momentumStep(c, ms, e)
		}
		for _, e := range widths {
			batchMomentumStep(c, bs, e)
		}
	})
}

// operands of one momentum step of one vector.
type stepOps struct {
	g, p, v Op  // g (memory or a register holding g), p and v as read
	pa, va  Op  // addresses of p and v for the stores
	d, t    Reg // d then s; c*d then v'
	masked  bool
}

// Reg is a vector register.
type Reg = VecPhysical

// store writes r to m, whole or through the mask Y10.
func (a asm) store(r Reg, m Op, masked bool) {
	if masked {
		a.VMASKMOV(r, Y10, m)
	} else {
		a.VMOVU(r, m)
	}
}

// step emits the momentum step of one vector for variant v.
func (a asm) step(v variant, o stepOps) {
	reloadP := func() {
		if o.masked { // p is Y2, loaded before v was stored
			a.VMASKMOV(mem(RSI, 0, RBX), Y10, Y2)
		}
	}
	a.VXOR(o.g, Y15, o.d)
	if v.wd {
		a.VFMADD231(o.p, Y11, o.d)
	}
	switch v.kind {
	case 0:
		a.VFMADD213(o.p, Y14, o.d)
		a.store(o.d, o.pa, o.masked)
	case 1, 2:
		a.store(o.d, o.va, o.masked)
		if v.kind == 2 {
			a.VFMADD231(o.d, Y13, o.d)
		}
		reloadP()
		a.VFMADD213(o.p, Y14, o.d)
		a.store(o.d, o.pa, o.masked)
	case 3, 4:
		a.VMUL(o.d, Y12, o.t)
		a.VFMADD231(o.v, Y13, o.t)
		a.store(o.t, o.va, o.masked)
		r := o.t
		if v.kind == 4 {
			a.VFMADD231(o.t, Y13, o.d)
			r = o.d
		}
		reloadP()
		a.VFMADD213(o.p, Y14, r)
		a.store(r, o.pa, o.masked)
	}
}

// at is the operand set of the whole vector at byte offset off (plus BX)
// with the gradient g, d and t.
func at(off int, g Op, d, t Reg) stepOps {
	p, v := mem(RSI, off, RBX), mem(RDX, off, RBX)
	return stepOps{g: g, p: p, v: v, pa: p, va: v, d: d, t: t}
}

// masked is the operand set of the masked vector at BX: g in Y0, p in
// Y2, v in Y3.
func maskedOps() stepOps {
	return stepOps{g: Y0, p: Y2, v: Y3, pa: mem(RSI, 0, RBX), va: mem(RDX, 0, RBX), d: Y0, t: Y8, masked: true}
}

// loadMaskedPV loads p (and v, if the variant reads it) through Y10.
func (a asm) loadMaskedPV(v variant) {
	a.VMASKMOV(mem(RSI, 0, RBX), Y10, Y2)
	if v.readsV() {
		a.VMASKMOV(mem(RDX, 0, RBX), Y10, Y3)
	}
}

// maskedStep is the step of MomentumStep on the first cnt elements at BX,
// through the lane mask Y10.
func (a asm) maskedStep(v variant, cnt GPPhysical) {
	a.laneMask(cnt, X10, Y10)
	a.VMASKMOV(mem(RDI, 0, RBX), Y10, Y0)
	a.loadMaskedPV(v)
	a.step(v, maskedOps())
}

// dispatchMode jumps to the loops of the variant that mode (in AX)
// selects; label(v) names the start of variant v.
func (a asm) dispatchMode(label func(variant) LabelRef) {
	a.Comment("jump to the loops of the variant the mode bits select")
	for _, wd := range []bool{false, true} {
		if !wd {
			a.TESTQ(U32(modeDecay), RAX)
			a.JNZ(a.L("mode_wd"))
		} else {
			a.Here("mode_wd")
		}
		pre := fmt.Sprintf("mode_%d_", b2i(wd))
		a.TESTQ(U32(modeMu), RAX)
		a.JZ(label(variant{0, wd}))
		a.TESTQ(U32(modeHistory), RAX)
		a.JNZ(a.L(pre + "history"))
		a.TESTQ(U32(modeNesterov), RAX)
		a.JNZ(label(variant{2, wd}))
		a.JMP(label(variant{1, wd}))
		a.Here(pre + "history")
		a.TESTQ(U32(modeNesterov), RAX)
		a.JNZ(label(variant{4, wd}))
		a.JMP(label(variant{3, wd}))
	}
}

// signMask sets the general register r to the sign mask of the mode in
// AX: the sign bit of an element if Maximize, else 0.
func (a asm) signMask(r GPPhysical) {
	a.MOVQ(RAX, r)
	a.ANDQ(U8(modeMaximize), r)
	a.SHLQ(U8(a.e.bits-1), r)
}

// ---------------------------------------------------------------------------
// MomentumStep

// momentumStep: a head of 0..lanes-1 elements up to the first 32-byte
// boundary of p goes through one masked vector, so that the vectors after
// it do not split cache lines (misaligned slices otherwise run ~1.5x
// slower); then 8 vectors (256 bytes) per iteration, single vectors, and
// the last partial vector masked. After the head (R11 elements) the byte
// offset BX runs over [head, R8) (8-vector blocks), [R8, R9) (whole
// vectors) and R10 elements.
func momentumStep(c *build.Context, k table.Kernel, e elem) {
	a := kernel(c, k, e,
		"Per element, see the rule and the variants in gen/_asm/momentum.go.",
		"Registers: SI = &p[0], DI = &g[0], DX = &v[0] (untouched when Mu == 0),",
		"BX = byte offset, R11 = elements in the head, R8/R9 = byte ends of the",
		"8-vector blocks / whole vectors, R10 = elements in the last partial",
		"vector, AX = mode; Y10-Y15 as in the generator's comment.")
	a.MOVQ(a.arg("p", "base"), RSI)
	a.MOVQ(a.arg("p", "len"), RCX)
	a.MOVQ(a.arg("g", "base"), RDI)
	a.MOVQ(a.arg("v", "base"), RDX)
	a.VBROADCAST(a.arg("negLR", ""), Y14)
	a.VBROADCAST(a.arg("mu", ""), Y13)
	a.VBROADCAST(a.arg("c", ""), Y12)
	a.VBROADCAST(a.arg("wd", ""), Y11)
	a.MOVQ(a.arg("mode", ""), RAX)
	a.signMask(R12)
	a.VMOVI(a.GP(R12), X15)
	a.VPBROADCAST(X15, Y15)
	a.bounds(R11, R8, 8*e.lanes, "8-vector blocks")
	a.XORQ(RBX, RBX)
	start := func(v variant) LabelRef { return a.L(v.String()) }
	a.dispatchMode(start)

	for _, v := range variants {
		l := func(s string) string { return v.String() + "_" + s }
		a.Here(v.String())
		a.Comment(fmt.Sprintf("variant %s: kind %d, weight decay %v", v, v.kind, v.wd))
		a.TESTQ(R11, R11)
		a.JZ(a.L(l("body")))
		a.maskedStep(v, R11)
		a.MOVQ(R11, RBX)
		a.SHLQ(U8(e.shift), RBX)
		a.Here(l("body"))
		a.CMPQ(RBX, R8)
		a.JAE(a.L(l("by1")))
		a.Here(l("by8"))
		for j := 0; j < 8; j++ {
			a.step(v, at(32*j, mem(RDI, 32*j, RBX), yregs[j], yregs[8+j%2]))
		}
		a.ADDQ(U32(256), RBX)
		a.CMPQ(RBX, R8)
		a.JB(a.L(l("by8")))
		a.Here(l("by1"))
		a.CMPQ(RBX, R9)
		a.JAE(a.L(l("tail")))
		a.step(v, at(0, mem(RDI, 0, RBX), Y0, Y8))
		a.ADDQ(U8(32), RBX)
		a.JMP(a.L(l("by1")))
		a.Here(l("tail"))
		a.TESTQ(R10, R10)
		a.JZ(a.L(l("done")))
		a.maskedStep(v, R10)
		a.Here(l("done"))
		a.VZEROUPPER()
		a.RET()
	}
}

// bounds splits the CX elements at SI (p, or rows for the batch form)
// into a head up to the first 32-byte boundary (head elements, at most
// CX), blocks of block elements (byte end in blockEnd), whole vectors
// (byte end in R9) and the elements of the last partial vector (R10);
// BX is left at the bytes of the head. base holds the pointer.
func (a asm) bounds(head, blockEnd GPPhysical, block int, what string) {
	e := a.e
	a.MOVQ(RSI, head)
	a.NEGQ(head)
	a.ANDQ(U8(31), head)
	a.SHRQ(U8(e.shift), head) // head: elements before the pointer is 32-byte aligned
	// head = min(head, n), by a branch rather than CMOV, so that the
	// functions need no CPU feature beyond the path's.
	a.CMPQ(head, RCX)
	a.JBE(a.L("head_ok"))
	a.MOVQ(RCX, head)
	a.Here("head_ok")
	a.SUBQ(head, RCX) // elements after the head
	a.MOVQ(head, RBX)
	a.SHLQ(U8(e.shift), RBX) // bytes in the head
	a.MOVQ(RCX, R10)
	a.ANDQ(U8(e.lanes-1), R10) // elements in the partial vector
	a.MOVQ(RCX, R9)
	a.ANDQ(I8(-e.lanes), R9)
	a.SHLQ(U8(e.shift), R9)
	a.ADDQ(RBX, R9) // byte end of the whole vectors
	a.MOVQ(RCX, blockEnd)
	a.ANDQ(I32(-block), blockEnd)
	a.SHLQ(U8(e.shift), blockEnd)
	a.ADDQ(RBX, blockEnd)
	a.Comment("byte end of the " + what)
}

// ---------------------------------------------------------------------------
// BatchMomentumStep

// batchMomentumStep: the gradient of a tile of columns is summed in
// registers across all m >= 1 rows (row r of the tile at DI + r*R13 + BX;
// the Go side handles m == 0), scaled, and goes straight into the
// momentum step of that tile: rows, p and v are read once, p and v
// written once, and g never reaches memory. The adds keep the row order
// of the specification per column.
//
// Tiles are 16 vectors wide (512 bytes of each row): when the row stride
// is a multiple of 4 KiB (n = 1024 float32, say) every row maps to the
// same L1 sets, and long runs per row keep the loads streaming. The 16
// column sums fill every ymm register, so the step of a tile parks sums
// 10-15 in the frame, reloads the hyper-parameters into Y11-Y15 and steps
// sums 0-9 from registers and 10-15 from the frame, with Y10 as c*d and
// v'. Columns left over go through tiles of 8 and 4 vectors, then single
// vectors, then one masked vector. The head up to the first 32-byte
// boundary of rows is one masked vector too.
func batchMomentumStep(c *build.Context, k table.Kernel, e elem) {
	a := kernel(c, k, e,
		"Tiles: see gen/_asm/momentum.go. Registers: SI = &p[0], DX = &v[0]",
		"(untouched when Mu == 0), DI = &rows[0], CX = m, R13 = row stride in",
		"bytes, R11 = row pointer, R12 = rows left, BX = byte offset of the tile,",
		"R8 = byte end of the 16-vector tiles, R9/R10 as in momentumStep, AX =",
		"mode, then scratch; Y0-Y15 = the column sums of a 16-vector tile. Frame:",
		"parked sums, scale broadcast, head columns, sign mask.")
	parked := a.AllocLocal(192)
	scale := a.AllocLocal(32)
	headCols := a.AllocLocal(8)
	sign := a.AllocLocal(8)

	a.MOVQ(a.arg("mode", ""), RAX)
	a.signMask(R12)
	a.MOVQ(R12, sign)
	a.MOVQ(a.arg("rows", "len"), RAX)
	a.MOVQ(a.arg("p", "len"), RCX)
	a.XORL(EDX, EDX)
	a.DIVQ(RCX) // AX = m
	a.MOVQ(RCX, R13)
	a.SHLQ(U8(e.shift), R13) // row stride in bytes
	a.MOVQ(a.arg("rows", "base"), RSI)
	a.MOVQ(RSI, RDI)
	a.bounds(R11, R8, 16*e.lanes, "16-vector tiles")
	a.MOVQ(R11, headCols)
	a.MOVQ(RAX, RCX) // CX = m
	a.MOVQ(a.arg("p", "base"), RSI)
	a.MOVQ(a.arg("v", "base"), RDX)
	a.VBROADCAST(a.arg("scale", ""), Y0)
	a.VMOVU(Y0, scale)
	consts := func() {
		a.VBROADCAST(a.arg("negLR", ""), Y14)
		a.VBROADCAST(a.arg("mu", ""), Y13)
		a.VBROADCAST(a.arg("c", ""), Y12)
		a.VBROADCAST(a.arg("wd", ""), Y11)
		a.VBROADCAST(sign, Y15)
	}
	consts()
	a.MOVQ(a.arg("mode", ""), RAX)
	a.XORQ(RBX, RBX)
	a.dispatchMode(func(v variant) LabelRef { return a.L(v.String()) })

	// sum adds the m rows of nv vectors of columns at DI+BX into Y0..
	sum := func(nv int, l string) {
		a.LEAQ(mem(RDI, 0, RBX), R11)
		for j := 0; j < nv; j++ {
			a.VMOVU(mem(R11, 32*j, nil), yregs[j])
		}
		a.MOVQ(RCX, R12)
		a.DECQ(R12)
		a.JZ(a.L(l + "_scale"))
		a.Here(l + "_rows")
		a.ADDQ(R13, R11)
		for j := 0; j < nv; j++ {
			a.VADD(mem(R11, 32*j, nil), yregs[j], yregs[j])
		}
		a.DECQ(R12)
		a.JNZ(a.L(l + "_rows"))
		a.Here(l + "_scale")
		for j := 0; j < nv; j++ {
			a.VMUL(scale, yregs[j], yregs[j])
		}
	}
	// maskedTile is one step of the first cnt columns at BX through the
	// lane mask Y10 (lanes outside read as +0 from every row and are not
	// stored).
	maskedTile := func(v variant, cnt GPPhysical, l string) {
		a.laneMask(cnt, X10, Y10)
		a.LEAQ(mem(RDI, 0, RBX), R11)
		a.VMASKMOV(mem(R11, 0, nil), Y10, Y0)
		a.MOVQ(RCX, R12)
		a.DECQ(R12)
		a.JZ(a.L(l + "_scale"))
		a.Here(l + "_rows")
		a.ADDQ(R13, R11)
		a.VMASKMOV(mem(R11, 0, nil), Y10, Y1)
		a.VADD(Y1, Y0, Y0)
		a.DECQ(R12)
		a.JNZ(a.L(l + "_rows"))
		a.Here(l + "_scale")
		a.VMUL(scale, Y0, Y0)
		a.loadMaskedPV(v)
		a.step(v, maskedOps())
	}

	for _, v := range variants {
		l := func(s string) string { return v.String() + "_" + s }
		a.Here(v.String())
		a.Comment(fmt.Sprintf("variant %s: kind %d, weight decay %v", v, v.kind, v.wd))
		a.MOVQ(headCols, RAX)
		a.TESTQ(RAX, RAX)
		a.JZ(a.L(l("body")))
		maskedTile(v, RAX, l("head"))
		a.MOVQ(headCols, RBX)
		a.SHLQ(U8(e.shift), RBX)

		a.Here(l("body"))
		a.CMPQ(RBX, R8)
		a.JAE(a.L(l("by8")))
		a.Here(l("by16"))
		sum(16, l("by16"))
		for j := 10; j < 16; j++ {
			a.VMOVU(yregs[j], parked.Offset(32*(j-10)))
		}
		consts()
		for j := 0; j < 10; j++ {
			a.step(v, at(32*j, yregs[j], yregs[j], Y10))
		}
		for j := 10; j < 16; j++ {
			a.step(v, at(32*j, parked.Offset(32*(j-10)), yregs[j-10], Y10))
		}
		a.ADDQ(U32(512), RBX)
		a.CMPQ(RBX, R8)
		a.JB(a.L(l("by16")))

		for _, nv := range []int{8, 4} {
			next := l("by4")
			if nv == 4 {
				next = l("by1")
			}
			a.Here(l(fmt.Sprint("by", nv)))
			a.LEAQ(mem(RBX, 32*nv, nil), RAX)
			a.CMPQ(RAX, R9)
			a.JA(a.L(next))
			sum(nv, l(fmt.Sprint("by", nv)))
			for j := 0; j < nv; j++ {
				a.step(v, at(32*j, yregs[j], yregs[j], yregs[8+j%2]))
			}
			a.ADDQ(U32(32*nv), RBX)
			a.JMP(a.L(l(fmt.Sprint("by", nv))))
		}

		a.Here(l("by1"))
		a.CMPQ(RBX, R9)
		a.JAE(a.L(l("tail")))
		sum(1, l("by1"))
		a.step(v, at(0, Y0, Y0, Y8))
		a.ADDQ(U8(32), RBX)
		a.JMP(a.L(l("by1")))

		a.Here(l("tail"))
		a.TESTQ(R10, R10)
		a.JZ(a.L(l("done")))
		maskedTile(v, R10, l("tail"))
		a.Here(l("done"))
		a.VZEROUPPER()
		a.RET()
	}
}
