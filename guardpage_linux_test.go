//go:build linux && (amd64 || arm64) && !purego

package downhill

import (
	"math/rand/v2"
	"syscall"
	"testing"
	"unsafe"
)

// The guard-page tests of the assembly (kernels_amd64_linux_test.go,
// kernels_arm64_linux_test.go) place slices flush against an inaccessible
// page: a read or write past a slice faults, and a canary in the rest of
// the page catches a stray write that stays inside it.

// pageGuard is one page of data between two PROT_NONE pages.
type pageGuard struct{ data []byte }

const guardCanary = 0xa5

func newPageGuard(t *testing.T) *pageGuard {
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
	return &pageGuard{data: mem[page : 2*page]}
}

// guardedSlice fills the page with the canary and returns n random
// elements flush against the guard page after the data (atEnd) or before it.
func guardedSlice[F Float](g *pageGuard, r *rand.Rand, n int, atEnd bool) []F {
	for i := range g.data {
		g.data[i] = guardCanary
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

// intact reports whether every byte of the page outside the bytes at x
// still holds the canary.
func (g *pageGuard) intact(x unsafe.Pointer, bytes int) bool {
	lo := 0
	if bytes > 0 {
		lo = int(uintptr(x) - uintptr(unsafe.Pointer(&g.data[0])))
	}
	for i, b := range g.data {
		if (i < lo || i >= lo+bytes) && b != guardCanary {
			return false
		}
	}
	return true
}

// guardIntact is intact for the slice x.
func guardIntact[F Float](g *pageGuard, x []F) bool {
	return g.intact(unsafe.Pointer(unsafe.SliceData(x)), len(x)*int(unsafe.Sizeof(F(0))))
}
