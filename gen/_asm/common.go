package main

import (
	"fmt"

	"github.com/mmcloughlin/avo/attr"
	"github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/ir"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"

	"github.com/downhill-go/downhill/gen/internal/table"
)

// elem is the element type, the parameter that turns one generator into
// its float32 and float64 kernels.
type elem struct {
	bits  int // 32 or 64
	size  int // bytes per element
	shift int // log2(size)
	lanes int // elements per ymm register
}

var (
	f32    = elem{bits: 32, size: 4, shift: 2, lanes: 8}
	f64    = elem{bits: 64, size: 8, shift: 3, lanes: 4}
	widths = []elem{f32, f64}
)

// avx2 is the path every function of this generator belongs to.
var avx2 = func() table.Path {
	for _, p := range table.Paths {
		if p.Const == "AVX2" {
			return p
		}
	}
	panic("table has no AVX2 path")
}()

// asm emits the instructions of one function for one element type: each
// method picks the PS/PD (SS/SD, D/Q) form of an instruction.
type asm struct {
	*build.Context
	e    elem
	name string // the function, e.g. axpy32AVX2; labels are prefixed with it
}

// kernel starts the function of kernel k (from the table) for width e: its
// signature comes from the table, and its header comment is the kernel's
// Go loop, the rule's reference and the lines of doc (register plan).
func kernel(c *build.Context, k table.Kernel, e elem, doc ...string) asm {
	name := k.AsmName(e.bits, avx2)
	c.Function(name)
	c.Attributes(attr.NOSPLIT)
	c.SignatureExpr(k.AsmSignature(e.bits))
	lines := []string{""}
	for _, l := range k.LoopLines(e.bits) {
		lines = append(lines, "\t"+l)
	}
	lines = append(lines, "",
		fmt.Sprintf("The rule, bit for bit, is %s (fma rounds once); callers guarantee", k.Spec),
		"the lengths documented at the declaration in kernels_amd64.go.")
	if len(doc) > 0 {
		lines = append(lines, "")
		lines = append(lines, doc...)
	}
	c.Doc(lines...)
	return asm{Context: c, e: e, name: fmt.Sprintf("%s%d", k.Func, e.bits)}
}

// arg is the frame address of a parameter, or of a slice's base or len
// (part "base" or "len").
func (a asm) arg(name, part string) Mem {
	p := a.Param(name)
	switch part {
	case "base":
		p = p.Base()
	case "len":
		p = p.Len()
	}
	b, err := p.Resolve()
	if err != nil {
		panic(fmt.Sprintf("%s: parameter %s %s: %v", a.name, name, part, err))
	}
	return b.Addr
}

// L is a label of the current function.
func (a asm) L(s string) LabelRef { return LabelRef(a.name + "_" + s) }

// Here places label s.
func (a asm) Here(s string) { a.Label(a.name + "_" + s) }

// pick runs the float32 (ps) or the float64 (pd) form of an instruction;
// avo's instruction methods take fixed or variadic operands.
func (a asm) pick(ps, pd any, ops ...Op) {
	f := pd
	if a.e.bits == 32 {
		f = ps
	}
	switch f := f.(type) {
	case func(...Op):
		f(ops...)
	case func(Op, Op):
		f(ops[0], ops[1])
	case func(Op, Op, Op):
		f(ops[0], ops[1], ops[2])
	default:
		panic(fmt.Sprintf("pick: %T", f))
	}
}

func (a asm) VMOVU(x, y Op)        { a.pick(a.VMOVUPS, a.VMOVUPD, x, y) }
func (a asm) VADD(x, y, z Op)      { a.pick(a.VADDPS, a.VADDPD, x, y, z) }
func (a asm) VMUL(x, y, z Op)      { a.pick(a.VMULPS, a.VMULPD, x, y, z) }
func (a asm) VXOR(x, y, z Op)      { a.pick(a.VXORPS, a.VXORPD, x, y, z) }
func (a asm) VFMADD231(x, y, z Op) { a.pick(a.VFMADD231PS, a.VFMADD231PD, x, y, z) }
func (a asm) VFMADD213(x, y, z Op) { a.pick(a.VFMADD213PS, a.VFMADD213PD, x, y, z) }
func (a asm) VMASKMOV(x, y, z Op)  { a.pick(a.VMASKMOVPS, a.VMASKMOVPD, x, y, z) }
func (a asm) VBROADCAST(x, y Op)   { a.pick(a.VBROADCASTSS, a.VBROADCASTSD, x, y) } // from memory
func (a asm) VMOVI(x, y Op)        { a.pick(a.VMOVD, a.VMOVQ, x, y) }               // general register to xmm
func (a asm) VPBROADCAST(x, y Op)  { a.pick(a.VPBROADCASTD, a.VPBROADCASTQ, x, y) }
func (a asm) VPCMPGT(x, y, z Op)   { a.pick(a.VPCMPGTD, a.VPCMPGTQ, x, y, z) }
func (a asm) VPADD(x, y, z Op)     { a.pick(a.VPADDD, a.VPADDQ, x, y, z) }
func (a asm) VMOVSCALAR(x, y Op)   { a.pick(a.VMOVSS, a.VMOVSD, x, y) }

// GP returns the 32-bit form of a general register for float32 (the lane
// counts and masks of VMOVD), the 64-bit one for float64.
func (a asm) GP(r GPPhysical) Register {
	if a.e.bits == 32 {
		return r.As32()
	}
	return r
}

// mem is disp(base)(index*1).
func mem(base Register, disp int, index Register) Mem {
	m := Mem{Base: base, Disp: disp}
	if index != nil {
		m.Index, m.Scale = index, 1
	}
	return m
}

// Y and X are the vector registers by number.
var (
	yregs = []VecPhysical{Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7, Y8, Y9, Y10, Y11, Y12, Y13, Y14, Y15}
	xregs = []VecPhysical{X0, X1, X2, X3, X4, X5, X6, X7, X8, X9, X10, X11, X12, X13, X14, X15}
)

func xOf(y VecPhysical) VecPhysical {
	for i, r := range yregs {
		if r == y {
			return xregs[i]
		}
	}
	panic("not a ymm register")
}

// ---------------------------------------------------------------------------
// Lane numbers: defined once for the package, in lanes_amd64.s.

// laneIota is the global table of the lane numbers of a ymm register for
// the element type: 0..7 as int32 for float32, 0..3 as int64 for float64.
// A lane is inside a slice when its number is below the count of elements
// left.
func laneIota(e elem) Mem {
	return Mem{Symbol: Symbol{Name: fmt.Sprintf("·laneIota%d", e.bits)}, Base: StaticBase}
}

func init() {
	register("lanes", "lanes_amd64.s", func(c *build.Context) {
		file, _ := c.Result()
		for _, e := range widths {
			g := ir.NewGlobal(laneIota(e).Symbol)
			g.Attributes = attr.RODATA | attr.NOPTR
			for i := 0; i < e.lanes; i++ {
				if e.bits == 32 {
					g.Append(U32(i))
				} else {
					g.Append(U64(i))
				}
			}
			file.AddSection(g)
		}
	})
}

// laneMask sets y (x its xmm half) to all-ones in the lanes below the
// signed count n and zero elsewhere: n <= 0 gives no lane, n >= lanes
// every lane.
func (a asm) laneMask(n GPPhysical, x, y VecPhysical) {
	a.VMOVI(a.GP(n), x)
	a.VPBROADCAST(x, y)
	a.VPCMPGT(laneIota(a.e), y, y)
}
