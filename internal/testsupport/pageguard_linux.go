package testsupport

import (
	"math/rand/v2"
	"syscall"
	"testing"
	"unsafe"
)

// PageGuard is one page of data between two PROT_NONE pages: a slice
// placed flush against either end faults on any access past it, and a
// canary in the rest of the page catches a stray write that stays inside
// the page.
type PageGuard struct{ data []byte }

const canary = 0xa5

// NewPageGuard maps a guarded page, unmapped when t ends.
func NewPageGuard(t testing.TB) *PageGuard {
	t.Helper()
	page := syscall.Getpagesize()
	mem, err := syscall.Mmap(-1, 0, 3*page, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		t.Fatalf("mmap: %v", err)
	}
	t.Cleanup(func() { syscall.Munmap(mem) })
	for _, g := range [][]byte{mem[:page], mem[2*page:]} {
		if err := syscall.Mprotect(g, syscall.PROT_NONE); err != nil {
			t.Fatalf("mprotect: %v", err)
		}
	}
	return &PageGuard{data: mem[page : 2*page]}
}

// Slice fills the page with the canary and returns n elements filled with
// Value(r, special), flush against the inaccessible page after the data
// (atEnd) or before it.
func Slice[F Float](g *PageGuard, r *rand.Rand, n int, atEnd bool, special float64) []F {
	for i := range g.data {
		g.data[i] = canary
	}
	all := unsafe.Slice((*F)(unsafe.Pointer(&g.data[0])), len(g.data)/Size[F]())
	x := all[:n:n]
	if atEnd {
		x = all[len(all)-n:]
	}
	Fill(r, x, special)
	return x
}

// Intact reports whether every byte of the page outside x still holds
// the canary.
func Intact[F Float](g *PageGuard, x []F) bool {
	lo, hi := 0, 0
	if len(x) > 0 {
		lo = int(uintptr(unsafe.Pointer(unsafe.SliceData(x))) - uintptr(unsafe.Pointer(&g.data[0])))
		hi = lo + len(x)*Size[F]()
	}
	for i, b := range g.data {
		if (i < lo || i >= hi) && b != canary {
			return false
		}
	}
	return true
}
