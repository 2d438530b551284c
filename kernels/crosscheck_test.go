package kernels

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"unsafe"
)

// TestCrossCheckC compares every kernel of this package with an
// independent C implementation (testdata/crosscheck.c, glibc's fmaf and
// fma, -ffp-contract=off) on random and special inputs, bit for bit. It
// needs a C compiler; CI sets DOWNHILL_REQUIRE_CC=1 so that a missing one
// fails instead of skipping.
func TestCrossCheckC(t *testing.T) {
	cc, err := exec.LookPath("cc")
	if err != nil {
		if os.Getenv("DOWNHILL_REQUIRE_CC") != "" {
			t.Fatal("no C compiler (cc) on PATH, and DOWNHILL_REQUIRE_CC is set")
		}
		t.Skip("no C compiler (cc) on PATH; CI runs this test")
	}
	bin := filepath.Join(t.TempDir(), "crosscheck")
	out, err := exec.Command(cc, "-O2", "-ffp-contract=off", "-std=c11", "-o", bin, "testdata/crosscheck.c", "-lm").CombinedOutput()
	if err != nil {
		t.Fatalf("compiling crosscheck.c: %v\n%s", err, out)
	}
	cases := 3000
	if testing.Short() {
		cases = 600
	}
	r := rand.New(rand.NewPCG(11, 13))
	var in bytes.Buffer
	var want [][]byte
	var names []string
	var sizes []int
	for i := 0; i < cases; i++ {
		var w []byte
		var name string
		if i%2 == 0 {
			name, w = crossCase[float32](r, &in, i)
		} else {
			name, w = crossCase[float64](r, &in, i)
		}
		want, names, sizes = append(want, w), append(names, name), append(sizes, 8-4*(1-i%2))
	}
	gemmCases := cases / 10
	for i := 0; i < gemmCases; i++ {
		var w []byte
		var name string
		if i%2 == 0 {
			name, w = crossGemm[float32](r, &in)
		} else {
			name, w = crossGemm[float64](r, &in)
		}
		want, names, sizes = append(want, w), append(names, name), append(sizes, 8-4*(1-i%2))
	}
	cmd := exec.Command(bin)
	cmd.Stdin = &in
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	got, err := cmd.Output()
	if err != nil {
		t.Fatalf("running crosscheck: %v\n%s", err, stderr.String())
	}
	for i, w := range want {
		if len(got) < len(w) {
			t.Fatalf("case %d (%s): C output ends early", i, names[i])
		}
		g := got[:len(w)]
		got = got[len(w):]
		if !sameValues(g, w, sizes[i]) {
			t.Fatalf("case %d (%s): Go and C results differ\nGo: %x\nC:  %x", i, names[i], w, g)
		}
	}
	t.Logf("%d cases (7 kernels x float32/float64) and %d of Gemm identical to the C reference", cases, gemmCases)
}

// sameValues compares two little-endian streams of float32 (size 4) or
// float64 values bit for bit, any NaN matching any NaN (NaN payloads may
// differ between Go and C).
func sameValues(a, b []byte, size int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i+size <= len(a); i += size {
		var x, y float64
		var bx, by uint64
		if size == 4 {
			bx, by = uint64(binary.LittleEndian.Uint32(a[i:])), uint64(binary.LittleEndian.Uint32(b[i:]))
			x, y = float64(math.Float32frombits(uint32(bx))), float64(math.Float32frombits(uint32(by)))
		} else {
			bx, by = binary.LittleEndian.Uint64(a[i:]), binary.LittleEndian.Uint64(b[i:])
			x, y = math.Float64frombits(bx), math.Float64frombits(by)
		}
		if bx != by && !(x != x && y != y) {
			return false
		}
	}
	return true
}

// crossCase writes one random case for the C program and returns its name
// and the bytes the C program must answer, computed by this package.
func crossCase[F Float](r *rand.Rand, in *bytes.Buffer, i int) (string, []byte) {
	k := i / 2 % 7
	n := r.IntN(200)
	if r.IntN(4) == 0 {
		n = r.IntN(1500)
	}
	m := r.IntN(12)
	flags := r.IntN(8)
	sp := r.Float64() * 0.2
	val := func() F { return crossValue[F](r, sp) }
	h := make([]F, 7)
	for j := range h {
		h[j] = val()
	}
	// Hyper-parameters: often zero (the special cases of the formula).
	for j := 3; j < 7; j++ {
		if r.IntN(3) == 0 {
			h[j] = 0
		}
	}
	arr := func(l int) []F {
		s := make([]F, l)
		for j := range s {
			s[j] = val()
		}
		return s
	}
	a, b, c, rows := arr(n), arr(n), arr(n), arr(n*m)
	var z F
	size := int32(unsafe.Sizeof(z))
	binary.Write(in, binary.LittleEndian, []int32{int32(k), size, int32(n), int32(m), int32(flags)})
	for _, s := range [][]F{h, a, b, c, rows} {
		binary.Write(in, binary.LittleEndian, s)
	}
	mom := Momentum[F]{LR: h[3], Mu: h[4], Dampening: h[5], WeightDecay: h[6],
		Nesterov: flags&1 != 0, Maximize: flags&2 != 0, Fresh: flags&4 != 0}
	var res F
	names := []string{"Axpy", "Axpby", "Scale", "Dot", "SumRows", "MomentumStep", "BatchMomentumStep"}
	switch k {
	case 0:
		Axpy(h[0], a, b)
	case 1:
		Axpby(h[0], a, h[1], b)
	case 2:
		Scale(h[0], a)
	case 3:
		res = Dot(a, b)
	case 4:
		SumRows(a, h[2], rows)
	case 5:
		MomentumStep(a, b, c, mom)
	case 6:
		BatchMomentumStep(a, c, rows, h[2], mom)
	}
	var out bytes.Buffer
	for _, s := range [][]F{a, b, c, {res}} {
		binary.Write(&out, binary.LittleEndian, s)
	}
	return fmt.Sprintf("%s %T n=%d m=%d flags=%d", names[k], z, n, m, flags), out.Bytes()
}

func crossValue[F Float](r *rand.Rand, special float64) F {
	if r.Float64() < special {
		switch r.IntN(6) {
		case 0:
			return F(math.NaN())
		case 1:
			return F(math.Inf(1 - 2*r.IntN(2)))
		case 2:
			return F(math.Copysign(0, float64(1-2*r.IntN(2))))
		case 3:
			return F(math.Ldexp(r.Float64(), -140-r.IntN(8)))
		case 4:
			return F(math.Ldexp(1+r.Float64(), 100+r.IntN(27)))
		default:
			return F(1 + r.NormFloat64()*1e-7)
		}
	}
	return F(r.NormFloat64() * 3)
}

// crossGemm writes one random Gemm case (kernel 7) for the C program and
// returns its name and the C that this package computes.
func crossGemm[F Float](r *rand.Rand, in *bytes.Buffer) (string, []byte) {
	dim := func(big int) int {
		if r.IntN(3) == 0 {
			return r.IntN(4)
		}
		return r.IntN(big)
	}
	m, n, k := dim(30), dim(30), dim(200)
	trans := r.IntN(4)
	ta, tb := trans&1 != 0, trans&2 != 0
	ra, ca, rb, cb := m, k, k, n
	if ta {
		ra, ca = k, m
	}
	if tb {
		rb, cb = n, k
	}
	ld := func(cols int) int { return max(1, cols) + r.IntN(3) }
	lda, ldb, ldc := ld(ca), ld(cb), ld(n)
	sp := 0.0 // a special value in a k-chain often makes the whole element NaN
	if r.IntN(2) == 0 {
		sp = r.Float64() * 0.03
	}
	mat := func(rows, cols, ld int) []F {
		l := 0
		if rows > 0 && cols > 0 {
			l = (rows-1)*ld + cols
		}
		s := make([]F, l)
		for j := range s {
			s[j] = crossValue[F](r, sp)
		}
		return s
	}
	a, b, c := mat(ra, ca, lda), mat(rb, cb, ldb), mat(m, n, ldc)
	h := make([]F, 7)
	h[0] = crossValue[F](r, sp)
	if r.IntN(3) != 0 {
		h[1] = crossValue[F](r, sp)
	}
	var z F
	binary.Write(in, binary.LittleEndian, []int32{7, int32(unsafe.Sizeof(z)), 0, 0, 0,
		int32(m), int32(n), int32(k), int32(lda), int32(ldb), int32(ldc), int32(trans)})
	for _, s := range [][]F{h, a, b, c} {
		binary.Write(in, binary.LittleEndian, s)
	}
	Gemm(ta, tb, m, n, k, h[0], a, lda, b, ldb, h[1], c, ldc)
	var out bytes.Buffer
	binary.Write(&out, binary.LittleEndian, c)
	return fmt.Sprintf("Gemm %T m=%d n=%d k=%d transA=%v transB=%v lda=%d ldb=%d ldc=%d", z, m, n, k, ta, tb, lda, ldb, ldc), out.Bytes()
}
