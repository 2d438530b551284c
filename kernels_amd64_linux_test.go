//go:build amd64 && linux && !purego

package downhill

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"syscall"
	"testing"
	"unsafe"

	"github.com/downhill-go/downhill/kernels"
	"github.com/klauspost/cpuid/v2"
)

// kaGuard is one page of data between two inaccessible pages: a slice
// placed flush against either end faults on any read or write past it,
// and a canary in the rest of the page catches writes that stay inside.
type kaGuard struct {
	mem  []byte // guard, data, guard
	data []byte
}

const kaCanary = 0xa5

func newKAGuard(t *testing.T) *kaGuard {
	t.Helper()
	page := syscall.Getpagesize()
	mem, err := syscall.Mmap(-1, 0, 3*page, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		t.Skipf("mmap: %v", err)
	}
	t.Cleanup(func() { syscall.Munmap(mem) })
	for _, g := range [][]byte{mem[:page], mem[2*page:]} {
		if err := syscall.Mprotect(g, syscall.PROT_NONE); err != nil {
			t.Fatalf("mprotect: %v", err)
		}
	}
	return &kaGuard{mem: mem, data: mem[page : 2*page]}
}

// kaGuarded fills the page with the canary and returns n random elements
// flush against the guard page after the data (atEnd) or before it.
func kaGuarded[F Float](g *kaGuard, r *rand.Rand, n int, atEnd bool) []F {
	for i := range g.data {
		g.data[i] = kaCanary
	}
	all := unsafe.Slice((*F)(unsafe.Pointer(&g.data[0])), len(g.data)/int(unsafe.Sizeof(F(0))))
	x := all[:n:n]
	if atEnd {
		x = all[len(all)-n:]
	}
	for i := range x {
		x[i] = F(r.NormFloat64())
	}
	return x
}

// kaIntact reports whether every byte of the page outside x still holds
// the canary.
func kaIntact[F Float](g *kaGuard, x []F) bool {
	lo, hi := 0, 0
	if len(x) > 0 {
		lo = int(uintptr(unsafe.Pointer(&x[0])) - uintptr(unsafe.Pointer(&g.data[0])))
		hi = lo + len(x)*int(unsafe.Sizeof(x[0]))
	}
	for i, b := range g.data {
		if (i < lo || i >= hi) && b != kaCanary {
			return false
		}
	}
	return true
}

// TestAVX2GuardPages runs every kernel of kernels_amd64.s on slices that
// end at (or start at) an inaccessible page, for every tail length: a read
// or write outside a slice crashes the test, and a write elsewhere in the
// page is caught by the canary. Results are compared with kernels too.
func TestAVX2GuardPages(t *testing.T) {
	t.Run("float32", testAVX2GuardPages[float32])
	t.Run("float64", testAVX2GuardPages[float64])
}

func testAVX2GuardPages[F Float](t *testing.T) {
	k := avx2Kernels[F](t)
	if strings.Contains(cpuid.CPU.BrandName, "QEMU") {
		// QEMU's TCG (7.2) reads the whole vector of VMASKMOVPS/PD and
		// faults on lanes whose mask is 0, which the architecture
		// forbids and real CPUs do not do.
		t.Skipf("emulated CPU %q: masked lanes past a page end fault under emulation only", cpuid.CPU.BrandName)
	}
	gx, gy := newKAGuard(t), newKAGuard(t)
	r := rand.New(rand.NewPCG(13, 14))
	for n := 0; n <= 300; n++ {
		for _, place := range [][2]bool{{true, true}, {true, false}, {false, true}, {false, false}} {
			where := fmt.Sprintf("n=%d x at end %v, y at end %v", n, place[0], place[1])
			x := kaGuarded[F](gx, r, n, place[0])
			y := kaGuarded[F](gy, r, n, place[1])
			want := append([]F(nil), y...)

			kernels.Axpy(0.5, x, want)
			k.Axpy(0.5, x, y)
			kernels.Axpby(0.5, x, 3, want)
			k.Axpby(0.5, x, 3, y)
			kernels.Scale(0.25, want)
			k.Scale(0.25, y)
			if !kaCheck(t, "Axpy, Axpby, Scale "+where, y, want) {
				return
			}
			if g, w := k.Dot(x, y), kernels.Dot(x, want); !kaSame(g, w) {
				t.Fatalf("Dot %s: got %v, want %v", where, g, w)
			}
			if n > 0 {
				// One row of n columns: the wide tiles.
				w := append([]F(nil), x...)
				kernels.SumRows(w, 0.5, y)
				k.SumRows(x, 0.5, y)
				if !kaCheck(t, "SumRows of one row "+where, x, w) {
					return
				}
				// x as dst, y as the rows of n/4+1 columns (1..4 rows).
				cols := n/4 + 1
				rows := y[:n/cols*cols]
				if place[1] {
					rows = y[n-n/cols*cols:]
				}
				dst := x[:cols]
				if place[0] {
					dst = x[n-cols:]
				}
				w = append(w[:0], dst...)
				kernels.SumRows(w, 0.5, rows)
				k.SumRows(dst, 0.5, rows)
				if !kaCheck(t, "SumRows "+where, dst, w) {
					return
				}
				kernels.SumRows(w, 0.5, nil)
				k.SumRows(dst, 0.5, rows[:0])
				if !kaCheck(t, "SumRows of no rows "+where, dst, w) {
					return
				}
			}
			if !kaIntact(gx, x) || !kaIntact(gy, y) {
				t.Fatalf("%s: a kernel wrote outside its slice", where)
			}
		}
	}
}
