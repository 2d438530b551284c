package main

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/arch/arm64/arm64asm"
)

// wordComment splits a WORD line into its encoding and the mnemonic of
// its comment (without any /* remark */).
var wordComment = regexp.MustCompile(`^\s*WORD \$0x([0-9a-fA-F]{8}) // ([^/]*)`)

// checkWords decodes every WORD of an arm64 assembly source and reports
// each one that is not the instruction its comment names, in GNU syntax.
// It returns the number of WORDs checked.
func checkWords(src string) (int, []string) {
	var bad []string
	n := 0
	for i, line := range strings.Split(src, "\n") {
		if !strings.Contains(line, "WORD") || strings.HasPrefix(strings.TrimSpace(line), "//") {
			continue
		}
		m := wordComment.FindStringSubmatch(line)
		if m == nil {
			bad = append(bad, fmt.Sprintf("line %d: WORD without a mnemonic comment: %q", i+1, line))
			continue
		}
		n++
		w, _ := strconv.ParseUint(m[1], 16, 32)
		var b [4]byte
		binary.LittleEndian.PutUint32(b[:], uint32(w))
		inst, err := arm64asm.Decode(b[:])
		want := strings.Join(strings.Fields(m[2]), " ")
		if err != nil {
			bad = append(bad, fmt.Sprintf("line %d: %#08x does not decode (%v); comment says %q", i+1, w, err, want))
			continue
		}
		if got := arm64asm.GNUSyntax(inst); got != want {
			bad = append(bad, fmt.Sprintf("line %d: %#08x is %q; comment says %q", i+1, w, got, want))
		}
	}
	return n, bad
}

// TestWords checks that every WORD in kernels_arm64.s is the instruction
// its comment names (golang.org/x/arch decodes it independently of GNU
// as), so a stale or hand-edited encoding cannot run unnoticed.
func TestWords(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "kernels_arm64.s"))
	if err != nil {
		t.Fatal(err)
	}
	n, bad := checkWords(string(src))
	for _, b := range bad {
		t.Error(b)
	}
	if n < 20 {
		t.Errorf("only %d WORDs found in kernels_arm64.s; expected the vector FADD/FMUL/FNEG/FADDP of every kernel", n)
	}
	if err := validate(src); err != nil {
		t.Error(err)
	}
	t.Logf("%d WORDs decode to their comments", n)
}

// TestCheckWordsFails shows that checkWords catches a wrong encoding, a
// wrong register, an undecodable word and a WORD without a comment.
func TestCheckWordsFails(t *testing.T) {
	for _, src := range []string{
		"\tWORD $0x4e22d420 // fmul v0.4s, v1.4s, v2.4s", // it is fadd
		"\tWORD $0x4e22d420 // fadd v0.4s, v1.4s, v3.4s", // wrong register
		"\tWORD $0x4e22d420 // fadd v0.2d, v1.2d, v2.2d", // wrong arrangement
		"\tWORD $0x00000000 // fadd v0.4s, v1.4s, v2.4s", // never generated
		"\tWORD $0x4e22d420",                             // no mnemonic
	} {
		if _, bad := checkWords(src); len(bad) != 1 {
			t.Errorf("checkWords(%q) reported %v, want one error", src, bad)
		}
	}
	good := "\tWORD $0x4e22d420 // fadd  v0.4s, v1.4s, v2.4s /* acc0 += acc8 */"
	if n, bad := checkWords(good); n != 1 || len(bad) != 0 {
		t.Errorf("checkWords(%q) = %d, %v; want 1, none", good, n, bad)
	}
}

// TestValidate shows that gen rejects the lines asm2plan9s would misread.
func TestValidate(t *testing.T) {
	for _, src := range []string{
		"\tWORD $0x4e22d420 //fadd v0.4s, v1.4s, v2.4s",    // no space: asm2plan9s skips it
		"    WORD $0x4e22d420 // fadd v0.4s, v1.4s, v2.4s", // spaces, not a tab
		"\tWORD $0x4e22d420 // fadd v0.4s // twice",
		"\t" + strings.Repeat("x", 61) + "// 65 columns before the comment",
	} {
		if err := validate([]byte(src)); err == nil {
			t.Errorf("validate(%q) = nil, want an error", src)
		}
	}
	if err := validate([]byte("\tWORD $0x4e22d420 // fadd v0.4s, v1.4s, v2.4s /* r */\n\tRET\n")); err != nil {
		t.Error(err)
	}
}

// TestHeaders checks that every TEXT symbol of kernels_arm64.s has the
// header the style asks for: a "// func name(" line with its Go signature
// and a "// Requires: ASIMD" line in the comment block right above it,
// and that every vector instruction written as a WORD is plain ASIMD (no
// extension beyond the ARMv8.0 baseline that the neon path checks).
func TestHeaders(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "kernels_arm64.s"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(src), "\n")
	text := regexp.MustCompile(`^TEXT ·(\w+)\(SB\)`)
	n := 0
	for i, line := range lines {
		m := text.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		n++
		var block []string
		for j := i - 1; j >= 0 && strings.HasPrefix(lines[j], "//"); j-- {
			block = append(block, lines[j])
		}
		header := strings.Join(block, "\n")
		if !strings.Contains(header, "// func "+m[1]+"(") {
			t.Errorf("line %d: TEXT %s has no \"// func %s(...)\" header", i+1, m[1], m[1])
		}
		if !strings.Contains(header, "// Requires: ASIMD") {
			t.Errorf("line %d: TEXT %s has no \"// Requires: ASIMD\" line", i+1, m[1])
		}
	}
	if n != 14 {
		t.Errorf("%d TEXT symbols in kernels_arm64.s, want 14 (7 kernels x float32/float64)", n)
	}
	allowed := map[string]bool{"fadd": true, "fmul": true, "fneg": true, "faddp": true}
	for i, line := range lines {
		if m := wordComment.FindStringSubmatch(line); m != nil {
			if op := strings.Fields(m[2])[0]; !allowed[op] {
				t.Errorf("line %d: WORD %q is not one of the ASIMD instructions the header promises", i+1, op)
			}
		}
	}
}
