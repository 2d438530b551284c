// Package bench compares downhill's kernels, on every path this CPU can
// run, with a plain Go loop, gonum, vek and a copy() bandwidth ceiling, at
// working sets that land in L1, L2, L3 and DRAM. Every result is
// reported in GB/s of memory traffic (bytes read + bytes written by the
// kernel, b.SetBytes), so that rows compare as ratios on one machine.
//
// Names follow Benchmark<Kernel>/<type>/n=<elements>/impl=<name>, where
// impl is a path name (generic, avx2, neon, ...), a path followed by
// -twostep (BatchMomentumStep as SumRows then MomentumStep), go (the
// plain Go loop), go-fused, gonum, vek or copy. See README.md.
package bench

import (
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"unsafe"

	"github.com/downhill-go/downhill"
	"github.com/downhill-go/downhill/dispatch"
)

// batchRows is B, the rows of a mini-batch in SumRows and
// BatchMomentumStep.
const batchRows = 32

// cacheLevels are the working sets the sizes aim at, for a CPU with 32K
// L1d, 1M L2 and 32M L3: a quarter of L1d, half of L2, a quarter of L3,
// four times L3.
var cacheLevels = []struct {
	name  string
	bytes float64
}{
	{"L1", 8 << 10},
	{"L2", 512 << 10},
	{"L3", 8 << 20},
	{"DRAM", 128 << 20},
}

// benchSizes returns, per cache level, the power of two nearest (in log
// scale) to the element count whose working set fills that level's
// target, for kernels that touch slices elements of F per index. DRAM is
// left out with -short.
func benchSizes[F downhill.Float](slices int) []int {
	var ns []int
	for _, l := range cacheLevels {
		if l.name == "DRAM" && testing.Short() {
			continue
		}
		n := l.bytes / float64(slices*sizeOf[F]())
		ns = append(ns, max(64, 1<<int(math.Round(math.Log2(n)))))
	}
	return ns
}

func sizeOf[F downhill.Float]() int {
	var z F
	return int(unsafe.Sizeof(z))
}

// typeName is the benchmark name of F.
func typeName[F downhill.Float]() string {
	if sizeOf[F]() == 4 {
		return "f32"
	}
	return "f64"
}

// forTypes runs bench for float32 then float64.
func forTypes(b *testing.B, bench32 func(*testing.B), bench64 func(*testing.B)) {
	b.Run("f32", bench32)
	b.Run("f64", bench64)
}

// forSizes runs bench at every size; setup happens inside, so that a
// filter such as -bench 'Axpy/f32/n=1024' allocates nothing else.
func forSizes[F downhill.Float](b *testing.B, slices int, bench func(b *testing.B, n int)) {
	for _, n := range benchSizes[F](slices) {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) { bench(b, n) })
	}
}

// impl is one implementation of a kernel: run loops with b.Loop.
type impl struct {
	name  string
	bytes int64 // memory traffic of one call, when it differs from the kernel's (copy)
	run   func(b *testing.B)
}

// runImpls runs every impl as a sub-benchmark impl=<name>, reporting
// bytes (read + written per call) as throughput.
func runImpls(b *testing.B, bytes int64, impls []impl) {
	for _, m := range impls {
		b.Run("impl="+m.name, func(b *testing.B) {
			if m.bytes != 0 {
				b.SetBytes(m.bytes)
			} else {
				b.SetBytes(bytes)
			}
			b.ReportAllocs()
			m.run(b)
		})
	}
}

// pathImpls returns one impl per available path, named after the path.
func pathImpls[F downhill.Float](b *testing.B, suffix string, mk func(k downhill.Kernels[F]) func(b *testing.B)) []impl {
	var out []impl
	for _, p := range dispatch.Available() {
		k, err := downhill.On[F](p)
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, impl{name: p.String() + suffix, run: mk(k)})
	}
	return out
}

// copyImpl is the bandwidth ceiling: copy() from one half of the
// kernel's working set to the other, which moves as many bytes as the
// working set holds.
func copyImpl(workingSet int) impl {
	half := workingSet / 2
	return impl{name: "copy", bytes: int64(2 * half), run: func(b *testing.B) {
		src, dst := make([]byte, half), make([]byte, half)
		for i := range src {
			src[i] = byte(i)
		}
		for b.Loop() {
			copy(dst, src)
		}
	}}
}

// values chooses the inputs of the kernel benchmarks: "ramp", a regular
// grid of short fractions (i%1021)/1021 (the default), or "random",
// uniform random numbers in the same ranges with full significands. An
// exact kernel may run faster on one than on the other (products of short
// significands land on float32 midpoints more often), so speed claims
// quote both:
//
//	go test -bench . ./bench -values=random
var values = flag.String("values", "ramp", "inputs of the kernel benchmarks: ramp or random")

// ramp returns n values in [lo, lo+1): ordinary numbers, neither
// subnormal nor special, so that no implementation hits a slow case. With
// -values=random they are uniform random numbers (seeded by n and lo).
func ramp[F downhill.Float](n int, lo F) []F {
	x := make([]F, n)
	switch *values {
	case "ramp":
		for i := range x {
			x[i] = lo + F(i%1021)/1021
		}
	case "random":
		r := rand.New(rand.NewPCG(uint64(n), math.Float64bits(float64(lo))))
		for i := range x {
			x[i] = lo + F(r.Float64())
		}
	default:
		panic("bench: -values must be ramp or random, not " + *values)
	}
	return x
}

// sink keeps results alive.
var sink float64
