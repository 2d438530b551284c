// Package table is the one list of downhill's kernels and assembly paths.
//
// gen reads it to write the path switches and //go:noescape declarations
// (kernels_<arch>.go), dispatch's compiled-path lists and the feature
// table of the instruction-set test; gen/_asm reads it for the Go
// signature and the documentation of every amd64 assembly function. A
// kernel or a path is added here, once, and everything else follows by
// running `go run ./gen`.
package table

import (
	"fmt"
	"regexp"
	"strings"
)

// Kernel is one kernel of package downhill, in both widths. Strings that
// mention the element type write it F; F32/F64 expand it.
type Kernel struct {
	Name   string // exported name in packages downhill and kernels: "Axpy"
	Func   string // stem of the switch and assembly functions: "axpy"
	Family string // assembly file family: <Family>_<arch>.s
	Spec   string // the executable specification: "kernels.Axpy"

	// Generic is the package-qualified generic implementation the path
	// switch calls when no assembly runs (INTERFACES: internal/generic
	// later), with GenericArgs.
	Generic     string
	GenericArgs string

	Params    string // parameters of the path switch after p Path
	Result    string // result type of the kernel, "" for none
	AsmParams string // parameters of every assembly implementation
	AsmArgs   string // the switch's arguments to the assembly function

	// Driver, when set, is the stem of a hand-written Go driver per path:
	// the switch calls <Driver><Path.Suffix>(AsmArgs) (gemmAVX2, gemmNEON),
	// not an assembly function, and AsmParams are the driver's parameters.
	// The driver lives in DriverFile (gemm_avx2_amd64.go).
	// A driver packs its operands and calls assembly that it declares
	// itself (//go:noescape, in its own file): gen declares none for the
	// kernel, and gen/_asm and the arm64 templates do not read its row.
	Driver string

	// Guard, when set, is a condition on the switch's parameters under
	// which no path runs and the switch calls Generic: "k == 0" for Gemm,
	// whose drivers need a chain to run.
	Guard string

	// NoRows marks BatchMomentumStep: its assembly never sees m == 0 (no
	// rows); the switch sends that case to batchMomentumNoRows.
	NoRows bool

	// Bytes is the memory traffic per element (per column for the row
	// kernels, per row added for SumRows-like ones: see BytesDoc), in
	// elements: Axpy reads x and y and writes y, 3.
	Bytes    int
	BytesDoc string

	// Loop is the Go the assembly implements (fma rounds once), shown in
	// the declarations and the assembly headers; the rule itself is the
	// one of Spec.
	Loop string
}

// Path is one assembly path: the dispatch constant, the suffix of its
// functions, its GOARCH and the CPU features (dispatch.Features field
// names) it needs; dispatch checks exactly these before the path runs.
type Path struct {
	Const    string // dispatch.<Const>
	Suffix   string // axpy32<Suffix>
	GOARCH   string
	Features []string
}

// Paths lists every assembly path, in dispatch order.
var Paths = []Path{
	{Const: "AVX2", Suffix: "AVX2", GOARCH: "amd64", Features: []string{"AVX", "AVX2", "FMA3"}},
	{Const: "NEON", Suffix: "NEON", GOARCH: "arm64", Features: []string{"ASIMD"}},
}

// Kernels lists every kernel, in the order of the generated files.
var Kernels = []Kernel{
	{
		Name: "Axpy", Func: "axpy", Family: "axpy", Spec: "kernels.Axpy",
		Generic: "generic.Axpy", GenericArgs: "alpha, x, y",
		Params: "alpha F, x, y []F", AsmParams: "alpha F, x, y []F", AsmArgs: "alpha, x, y",
		Bytes: 3, BytesDoc: "read x, y; write y",
		Loop: "for i := range x { y[i] = fma(alpha, x[i], y[i]) }",
	},
	{
		Name: "Axpby", Func: "axpby", Family: "axpy", Spec: "kernels.Axpby",
		Generic: "generic.Axpby", GenericArgs: "alpha, x, beta, y",
		Params: "alpha F, x []F, beta F, y []F", AsmParams: "alpha F, x []F, beta F, y []F", AsmArgs: "alpha, x, beta, y",
		Bytes: 3, BytesDoc: "read x, y; write y",
		Loop: "for i := range x { y[i] = fma(alpha, x[i], F(beta*y[i])) }",
	},
	{
		Name: "Scale", Func: "scale", Family: "axpy", Spec: "kernels.Scale",
		Generic: "generic.Scale", GenericArgs: "alpha, x",
		Params: "alpha F, x []F", AsmParams: "alpha F, x []F", AsmArgs: "alpha, x",
		Bytes: 2, BytesDoc: "read x; write x",
		Loop: "for i := range x { x[i] = F(alpha * x[i]) }",
	},
	{
		Name: "Dot", Func: "dot", Family: "dot", Spec: "kernels.Dot",
		Generic: "generic.Dot", GenericArgs: "x, y",
		Params: "x, y []F", Result: "F", AsmParams: "x, y []F", AsmArgs: "x, y",
		Bytes: 2, BytesDoc: "read x, y",
		Loop: "kernels.Dot: K lanes acc[k] = fma(x[bK+k], y[bK+k], acc[k]) over blocks b (the last padded\n" +
			"with +0), then acc[k] += acc[k+h] for h = K/2, ..., 1; return acc[0]",
	},
	{
		Name: "SumRows", Func: "sumRows", Family: "sumrows", Spec: "kernels.SumRows",
		Generic: "generic.SumRows", GenericArgs: "dst, scale, src",
		Params: "dst []F, scale F, src []F", AsmParams: "dst []F, scale F, src []F", AsmArgs: "dst, scale, src",
		Bytes: 1, BytesDoc: "per element of src read (dst written once)",
		Loop: "n, m := len(dst), len(src)/len(dst)\n" +
			"for i := range dst {\n" +
			"\ts := src[i]\n" +
			"\tfor r := 1; r < m; r++ { s = s + src[r*n+i] }\n" +
			"\tdst[i] = F(scale * s) // m == 0: dst[i] = 0\n" +
			"}",
	},
	{
		Name: "MomentumStep", Func: "momentumStep", Family: "momentum", Spec: "kernels.MomentumStep",
		Generic: "generic.MomentumStep", GenericArgs: "param, g, v, *h",
		Params:    "param, g, v []F, h *Momentum[F]",
		AsmParams: "p, g, v []F, negLR, mu, c, wd F, mode uint64",
		AsmArgs:   "param, g, v, -h.LR, h.Mu, 1-h.Dampening, h.WeightDecay, momentumMode(h)",
		Bytes:     5, BytesDoc: "read p, g, v; write p, v",
		Loop: "for i := range p { // the order of reads and writes of kernels.MomentumStep\n" +
			"\tgi := g[i]; if mode&momentumMaximize != 0 { gi = -gi }\n" +
			"\td := gi; if mode&momentumDecay != 0 { d = fma(wd, p[i], gi) }\n" +
			"\ts := d\n" +
			"\tif mode&momentumMu != 0 {\n" +
			"\t\tvn := d; if mode&momentumHistory != 0 { vn = fma(mu, v[i], F(c*d)) }\n" +
			"\t\tv[i] = vn\n" +
			"\t\ts = vn; if mode&momentumNesterov != 0 { s = fma(mu, vn, d) }\n" +
			"\t}\n" +
			"\tp[i] = fma(negLR, s, p[i])\n" +
			"}",
	},
	{
		Name: "BatchMomentumStep", Func: "batchMomentumStep", Family: "momentum", Spec: "kernels.BatchMomentumStep",
		Generic: "generic.BatchMomentumStep", GenericArgs: "param, v, rows, scale, *h",
		Params:    "param, v, rows []F, scale F, h *Momentum[F]",
		AsmParams: "p, v, rows []F, scale, negLR, mu, c, wd F, mode uint64",
		AsmArgs:   "param, v, rows, scale, -h.LR, h.Mu, 1-h.Dampening, h.WeightDecay, momentumMode(h)",
		NoRows:    true,
		Bytes:     4, BytesDoc: "read p, v; write p, v (plus one element per row of rows)",
		Loop: "n, m := len(p), len(rows)/len(p) // m >= 1\n" +
			"for i := range p {\n" +
			"\ts := rows[i]\n" +
			"\tfor r := 1; r < m; r++ { s = s + rows[r*n+i] }\n" +
			"\tg := F(scale * s)\n" +
			"\t// then element i of the momentumStep loop, with g[i] = g\n" +
			"}",
	},
	{
		Name: "Gemm", Func: "gemm", Family: "gemm", Spec: "kernels.Gemm",
		Generic: "generic.Gemm", GenericArgs: "transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc",
		Params:    "transA, transB bool, m, n, k int, alpha F, a []F, lda int, b []F, ldb int, beta F, c []F, ldc int",
		AsmParams: "transA, transB bool, m, n, k int, alpha F, a []F, lda int, b []F, ldb int, beta F, c []F, ldc int",
		AsmArgs:   "transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc",
		Driver:    "gemm", Guard: "k == 0",
		Bytes: 0, BytesDoc: "not a streaming kernel: 2mnk flops over mk+kn+2mn elements",
		Loop: "for each i < m, j < n (m, n > 0 here; k == 0 runs Generic):\n" +
			"\tacc := F(0); for p := 0; p < k; p++ { acc = fma(opA(i,p), opB(p,j), acc) }\n" +
			"\tif beta == 0 { C(i,j) = F(alpha * acc) } else { C(i,j) = fma(alpha, acc, F(beta*C(i,j))) }",
	},
}

var fRE = regexp.MustCompile(`\bF\b`)

// Expand writes s for float32 (bits 32) or float64 (bits 64).
func Expand(s string, bits int) string {
	return fRE.ReplaceAllString(s, fmt.Sprintf("float%d", bits))
}

// AsmName is the name of k's assembly function for a width and path.
func (k Kernel) AsmName(bits int, p Path) string {
	return fmt.Sprintf("%s%d%s", k.Func, bits, p.Suffix)
}

// DriverFile is the file, in the module root, of k's driver on path p.
func (k Kernel) DriverFile(p Path) string {
	return fmt.Sprintf("%s_%s_%s.go", k.Family, strings.ToLower(p.Suffix), p.GOARCH)
}

// CallName is the function k's switch calls on path p: its Go driver
// (generic in the element type, so the same name for both widths) when
// k has one, else its assembly function.
func (k Kernel) CallName(bits int, p Path) string {
	if k.Driver != "" {
		return k.Driver + p.Suffix
	}
	return k.AsmName(bits, p)
}

// SwitchName is the name of k's path switch for a width.
func (k Kernel) SwitchName(bits int) string { return fmt.Sprintf("%s%d", k.Func, bits) }

// AsmSignature is the Go signature of k's assembly function, as
// "func(...)" (for avo) for a width.
func (k Kernel) AsmSignature(bits int) string {
	s := "func(" + Expand(k.AsmParams, bits) + ")"
	if k.Result != "" {
		s += " " + Expand(k.Result, bits)
	}
	return s
}

// LoopLines is Loop for a width, one string per line.
func (k Kernel) LoopLines(bits int) []string {
	return strings.Split(Expand(k.Loop, bits), "\n")
}

// PathsFor lists the paths of one GOARCH.
func PathsFor(goarch string) []Path {
	var out []Path
	for _, p := range Paths {
		if p.GOARCH == goarch {
			out = append(out, p)
		}
	}
	return out
}

// Families lists the assembly families in table order.
func Families() []string {
	var out []string
	seen := map[string]bool{}
	for _, k := range Kernels {
		if !seen[k.Family] {
			seen[k.Family] = true
			out = append(out, k.Family)
		}
	}
	return out
}

// Lookup returns the kernel named name (its Func stem or Name).
func Lookup(name string) (Kernel, bool) {
	for _, k := range Kernels {
		if k.Func == name || k.Name == name {
			return k, true
		}
	}
	return Kernel{}, false
}
