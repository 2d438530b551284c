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

// generatedFiles returns the text of every generated arm64 file, by name.
func generatedFiles(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, fam := range arm64Families {
		name := fam + "_arm64.s"
		src, err := os.ReadFile(filepath.Join("..", name))
		if err != nil {
			t.Fatal(err)
		}
		out[name] = string(src)
	}
	return out
}

// TestWords checks that every WORD in the generated arm64 files is the
// instruction its comment names (golang.org/x/arch decodes it
// independently of GNU as), so a stale or hand-edited encoding cannot run
// unnoticed.
func TestWords(t *testing.T) {
	total := 0
	for name, src := range generatedFiles(t) {
		n, bad := checkWords(src)
		for _, b := range bad {
			t.Errorf("%s: %s", name, b)
		}
		if n == 0 {
			t.Errorf("no WORDs found in %s; expected the vector FADD/FMUL/FNEG/FADDP of its kernels", name)
		}
		if err := validate([]byte(src)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		total += n
	}
	t.Logf("%d WORDs decode to their comments", total)
}

// hexWord matches the encoding of a WORD line.
var hexWord = regexp.MustCompile(`WORD \$0x[0-9a-f]{8}`)

// TestGenerated checks, without GNU as, that every generated file is what
// its template gives today, up to the WORD encodings (which TestWords
// checks against their mnemonics): so an edited template with a stale
// output, or a hand-edited output, fails here too.
func TestGenerated(t *testing.T) {
	files, err := generateARM64()
	if err != nil {
		t.Fatal(err)
	}
	committed := generatedFiles(t)
	for name, want := range files {
		got, ok := committed[name]
		if !ok {
			t.Errorf("%s is not in arm64Families", name)
			continue
		}
		w := strings.Split(hexWord.ReplaceAllString(string(want), "WORD $0x"), "\n")
		g := strings.Split(hexWord.ReplaceAllString(got, "WORD $0x"), "\n")
		for i := range max(len(w), len(g)) {
			var wl, gl string
			if i < len(w) {
				wl = w[i]
			}
			if i < len(g) {
				gl = g[i]
			}
			if wl != gl {
				t.Errorf("%s line %d is %q, the template gives %q: run go run ./gen", name, i+1, gl, wl)
				break
			}
		}
	}
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

// TestHeaders checks that every generated file says so on its first line
// and that every TEXT symbol has the header the style asks for: a
// "// func name(" line with its Go signature, a "// Requires: ASIMD" line
// and a register plan in the comment block right above it; and that
// every vector instruction written as a WORD is plain ASIMD (no extension
// beyond the ARMv8.0 baseline that the neon path checks).
func TestHeaders(t *testing.T) {
	text := regexp.MustCompile(`^TEXT ·(\w+)\(SB\)`)
	n := 0
	for name, src := range generatedFiles(t) {
		lines := strings.Split(src, "\n")
		if !strings.HasPrefix(lines[0], "// Code generated ") || !strings.HasSuffix(lines[0], "DO NOT EDIT.") {
			t.Errorf("%s: first line %q is not a \"Code generated ... DO NOT EDIT.\" line", name, lines[0])
		}
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
				t.Errorf("%s line %d: TEXT %s has no \"// func %s(...)\" header", name, i+1, m[1], m[1])
			}
			if !strings.Contains(header, "// Requires: ASIMD") {
				t.Errorf("%s line %d: TEXT %s has no \"// Requires: ASIMD\" line", name, i+1, m[1])
			}
			if !strings.Contains(header, "// Registers: ") {
				t.Errorf("%s line %d: TEXT %s has no \"// Registers: \" plan", name, i+1, m[1])
			}
		}
		allowed := map[string]bool{"fadd": true, "fmul": true, "fneg": true, "faddp": true}
		for i, line := range lines {
			if m := wordComment.FindStringSubmatch(line); m != nil {
				if op := strings.Fields(m[2])[0]; !allowed[op] {
					t.Errorf("%s line %d: WORD %q is not one of the ASIMD instructions the header promises", name, i+1, op)
				}
			}
		}
	}
	if n != 14 {
		t.Errorf("%d TEXT symbols in the arm64 files, want 14 (7 kernels x float32/float64)", n)
	}
}
