package fuzz

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

var updateCorpus = flag.Bool("update-corpus", false, "rewrite the seed corpus in testdata/fuzz")

// targets names every fuzz target, in the order of fuzz_test.go.
var targets = []string{
	"FuzzAxpy32", "FuzzAxpy64", "FuzzAxpby32", "FuzzAxpby64",
	"FuzzScale32", "FuzzScale64", "FuzzDot32", "FuzzDot64",
	"FuzzSumRows32", "FuzzSumRows64",
	"FuzzMomentumStep32", "FuzzMomentumStep64",
	"FuzzBatchMomentumStep32", "FuzzBatchMomentumStep64",
}

// seedLengths covers every tail of the widest loop any path runs (64
// float32 elements per AVX2 iteration and per Dot block, 128 for a
// doubly unrolled AVX-512 loop) and a few longer slices up to maxLen.
func seedLengths() []int {
	var ls []int
	for n := 0; n <= 129; n++ {
		ls = append(ls, n)
	}
	return append(ls, 191, 192, 255, 256, 257, 383, 511, 512, 599, maxLen)
}

// seed returns the corpus file of target number ti at length n. The
// layout varies with n so that the corpus also covers every offset mod
// 16, every aliasing, cancellation, 0..15 rows and all 128 combinations of the
// momentum flags; data[0] alternates between ordinary values only and
// some or many special values.
func seed(ti, n int) []byte {
	layout := uint32((n*7+ti)%16) |
		uint32((n*11+3+ti)%16)<<offBits |
		uint32((n*13+5)%16)<<(2*offBits) |
		uint32((n*5+ti)%16)<<rowsShift |
		uint32(n%128)<<muZeroBit
	if n%5 == 2 {
		layout |= 1<<aliasBit | uint32(n/10%4)<<aliasShift
	}
	if n%3 == 0 {
		layout |= 1 << cancelBit
	}
	data := []byte{[]byte{0, 0, 16, 96}[n%4]}
	z := uint64(n*len(targets)+ti) * 0x9e3779b97f4a7c15
	for range 8 {
		z = z*6364136223846793005 + 1442695040888963407
		data = append(data, byte(z>>56))
	}
	return fmt.Appendf(nil, "go test fuzz v1\nuint16(%d)\nuint32(%#x)\n[]byte(%q)\n", n, layout, data)
}

func seedFile(target string, n int) string {
	return filepath.Join("testdata", "fuzz", target, fmt.Sprintf("seed-n%03d", n))
}

// TestSeedCorpus checks that the committed seed corpus holds every seed
// file (other files, such as failures the fuzzer found, may sit beside
// them). With -update-corpus it writes them.
func TestSeedCorpus(t *testing.T) {
	for ti, target := range targets {
		for _, n := range seedLengths() {
			name, want := seedFile(target, n), seed(ti, n)
			if *updateCorpus {
				if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(name, want, 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			got, err := os.ReadFile(name)
			if err != nil {
				t.Fatalf("%v (regenerate: go test ./fuzz -run TestSeedCorpus -update-corpus)", err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("%s is stale (regenerate: go test ./fuzz -run TestSeedCorpus -update-corpus)", name)
			}
		}
	}
}
