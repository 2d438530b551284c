//go:build amd64

package downhill

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"
	"testing"
)

// TestAsmFeatures checks that every instruction of every assembly function
// in the package's *_amd64.s files belongs to the CPU features its header
// declares ("// Requires: AVX, AVX2, FMA3"), and that those features are
// ones the function's path checks before running it (dispatch/features.go):
// no AVX-512, BMI or other instruction may hide behind the avx2 gate.
//
// The instructions come from the Go assembler's own listing (go tool asm
// -S), after macro expansion, so what is checked is what runs.
func TestAsmFeatures(t *testing.T) {
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goTool); err != nil {
		if goTool, err = exec.LookPath("go"); err != nil {
			t.Skip("go command not found: cannot list the assembly")
		}
	}
	files, err := filepath.Glob("*_amd64.s")
	if err != nil || len(files) == 0 {
		t.Fatalf("no *_amd64.s files found (%v)", err)
	}
	checked := 0
	for _, file := range files {
		declared, err := isaDeclared(file)
		if err != nil {
			t.Fatal(err)
		}
		listing, err := isaListing(t, goTool, file)
		if err != nil {
			t.Fatal(err)
		}
		for fn, req := range declared {
			insts, ok := listing[fn]
			if !ok || len(insts) == 0 {
				t.Errorf("%s: %s: no instructions in the assembler listing", file, fn)
				continue
			}
			allowed, ok := isaPathFeatures(fn)
			if !ok {
				t.Errorf("%s: %s: name does not end with the suffix of a path in the kernel table", file, fn)
				continue
			}
			for _, f := range req {
				if !slices.Contains(allowed, f) {
					t.Errorf("%s: %s declares %s, which its path does not check (checks %v)", file, fn, f, allowed)
				}
			}
			have := isaImplied(req)
			for _, in := range insts {
				feat, err := isaFeature(in.op, in.args)
				switch {
				case err != nil:
					t.Errorf("%s: %s: %v", in.pos, fn, err)
				case feat != "" && !have[feat]:
					t.Errorf("%s: %s: %s %s needs %s, not in its Requires: %v", in.pos, fn, in.op, in.args, feat, req)
				}
			}
			checked++
		}
		for fn := range listing {
			if _, ok := declared[fn]; !ok {
				t.Errorf("%s: %s has no \"// Requires:\" line in its header comment", file, fn)
			}
		}
	}
	if checked == 0 {
		t.Fatal("no assembly function checked")
	}
}

// isaInst is one instruction of the assembler listing.
type isaInst struct{ pos, op, args string }

// isaListing assembles file for amd64 with -S and returns the
// instructions of each TEXT symbol, by function name.
func isaListing(t *testing.T, goTool, file string) (map[string][]isaInst, error) {
	goroot := runtime.GOROOT()
	out := filepath.Join(t.TempDir(), "asm.o")
	cmd := exec.Command(goTool, "tool", "asm", "-S",
		"-I", filepath.Join(goroot, "pkg", "include"),
		"-p", "github.com/downhill-go/downhill",
		"-D", "GOOS_linux", "-D", "GOARCH_amd64",
		"-o", out, file)
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=amd64")
	b, err := cmd.CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("go tool asm -S %s: %v\n%s", file, err, b)
	}
	// 	0x0016 00022 (kernels_amd64.s:68)	CMPQ	CX, $64
	line := regexp.MustCompile(`^\s+0x[0-9a-f]+ \d+ \(([^)]*)\)\t(\S+)\t?(.*)$`)
	text := regexp.MustCompile(`^\S*\.(\w+) STEXT`)
	res := map[string][]isaInst{}
	fn := ""
	sc := bufio.NewScanner(strings.NewReader(string(b)))
	for sc.Scan() {
		if m := text.FindStringSubmatch(sc.Text()); m != nil {
			fn = m[1]
			res[fn] = nil
			continue
		}
		m := line.FindStringSubmatch(sc.Text())
		if m == nil || fn == "" {
			continue
		}
		switch m[2] {
		case "TEXT", "FUNCDATA", "PCDATA":
			continue
		}
		res[fn] = append(res[fn], isaInst{pos: m[1], op: m[2], args: m[3]})
	}
	return res, sc.Err()
}

// isaDeclared returns, for each TEXT symbol of file, the features listed
// on the "// Requires:" line of the comment block right above it.
func isaDeclared(file string) (map[string][]string, error) {
	src, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	textRE := regexp.MustCompile(`^TEXT\s+·(\w+)\(SB\)`)
	res := map[string][]string{}
	var block []string
	for _, l := range strings.Split(string(src), "\n") {
		if strings.HasPrefix(l, "//") {
			block = append(block, l)
			continue
		}
		if m := textRE.FindStringSubmatch(l); m != nil {
			var feats []string
			found := false
			for _, c := range block {
				if rest, ok := strings.CutPrefix(c, "// Requires:"); ok {
					found = true
					for _, f := range strings.Split(rest, ",") {
						if f = strings.TrimSpace(f); f != "" {
							feats = append(feats, f)
						}
					}
				}
			}
			if !found {
				return nil, fmt.Errorf("%s: %s has no \"// Requires:\" line in its header comment", file, m[1])
			}
			res[m[1]] = feats
		}
		block = block[:0]
	}
	return res, nil
}

// isaPathFeatures returns the features that the path named by fn's suffix
// checks before it runs: isaPaths, generated from the kernel table like
// dispatch's pathFeatures.
func isaPathFeatures(fn string) ([]string, bool) {
	for suffix, feats := range isaPaths {
		if strings.HasSuffix(fn, suffix) {
			return feats, true
		}
	}
	return nil, false
}

// isaImplied is the set of declared features, plus AVX where AVX2 is
// declared: every AVX2 CPU has AVX, and the paths check both.
func isaImplied(req []string) map[string]bool {
	have := map[string]bool{}
	for _, f := range req {
		have[f] = true
		if f == "AVX2" || strings.HasPrefix(f, "AVX512") {
			have["AVX"] = true
		}
	}
	return have
}

var (
	// EVEX-only operands: zmm, opmask, and the upper 16 xmm/ymm registers.
	isaEVEXReg = regexp.MustCompile(`\b(Z\d+|K[0-7]|[XY](1[6-9]|2\d|3[01]))\b`)
	isaYReg    = regexp.MustCompile(`\bY\d+\b`)
	isaXReg    = regexp.MustCompile(`^X\d+\b`)
	// General-purpose instructions of the base amd64 ISA, by stem (the
	// size suffix B/W/L/Q stripped), and SSE/SSE2, which every amd64 CPU has.
	isaGPRE = regexp.MustCompile(`^(MOV|MOVBLZX|MOVBQZX|MOVWLZX|MOVWQZX|MOVLQZX|MOVBLSX|MOVBQSX|MOVWLSX|MOVWQSX|MOVLQSX|` +
		`LEA|ADD|ADC|SUB|SBB|INC|DEC|NEG|NOT|CMP|TEST|AND|OR|XOR|SHL|SHR|SAR|ROL|ROR|IMUL|MUL|DIV|IDIV|XCHG|BSWAP|PUSH|POP|` +
		`CMOV[A-Z]+)[BWLQ]?$`)
	isaBase = map[string]bool{
		"RET": true, "CALL": true, "NOP": true, "JMP": true, "CQO": true, "CDQ": true, "INT": true, "UNDEF": true,
		"JCS": true, "JCC": true, "JEQ": true, "JNE": true, "JHI": true, "JLS": true, "JLT": true, "JGE": true,
		"JGT": true, "JLE": true, "JMI": true, "JPL": true, "JOS": true, "JOC": true, "JPS": true, "JPC": true,
		"PREFETCHT0": true, "PREFETCHT1": true, "PREFETCHT2": true, "PREFETCHNTA": true,
		"MOVSS": true, "MOVSD": true, "MOVUPS": true, "MOVUPD": true, "MOVAPS": true, "MOVAPD": true,
		"MOVOU": true, "MOVO": true, "XORPS": true, "XORPD": true, "ADDSS": true, "ADDSD": true,
		"MULSS": true, "MULSD": true, "SUBSS": true, "SUBSD": true, "PXOR": true,
	}
	isaBMI = map[string]string{
		"ANDN": "BMI1", "BEXTR": "BMI1", "BLSI": "BMI1", "BLSMSK": "BMI1", "BLSR": "BMI1", "TZCNT": "BMI1",
		"BZHI": "BMI2", "MULX": "BMI2", "PDEP": "BMI2", "PEXT": "BMI2", "RORX": "BMI2",
		"SARX": "BMI2", "SHLX": "BMI2", "SHRX": "BMI2", "LZCNT": "LZCNT", "POPCNT": "POPCNT",
	}
	// VEX instructions that are AVX at any width.
	isaAVX = isaSet(`VMOVUPS VMOVUPD VMOVAPS VMOVAPD VMOVSS VMOVSD VMOVD VMOVQ VMOVDQU VMOVDQA VMOVHLPS
		VMOVLHPS VMOVSHDUP VMOVSLDUP VMOVDDUP VMOVNTPS VMOVNTPD VMOVNTDQ VMOVMSKPS VMOVMSKPD VLDDQU
		VADDPS VADDPD VADDSS VADDSD VSUBPS VSUBPD VSUBSS VSUBSD VMULPS VMULPD VMULSS VMULSD VDIVPS VDIVPD
		VDIVSS VDIVSD VSQRTPS VSQRTPD VSQRTSS VSQRTSD VMAXPS VMAXPD VMINPS VMINPD VADDSUBPS VADDSUBPD
		VHADDPS VHADDPD VANDPS VANDPD VANDNPS VANDNPD VORPS VORPD VXORPS VXORPD VBLENDPS VBLENDPD
		VBLENDVPS VBLENDVPD VCMPPS VCMPPD VCMPSS VCMPSD VSHUFPS VSHUFPD VUNPCKLPS VUNPCKHPS VUNPCKLPD
		VUNPCKHPD VPERMILPS VPERMILPD VPERM2F128 VINSERTF128 VEXTRACTF128 VBROADCASTF128 VEXTRACTPS
		VINSERTPS VMASKMOVPS VMASKMOVPD VZEROUPPER VZEROALL VTESTPS VTESTPD VPTEST VROUNDPS VROUNDPD
		VCVTDQ2PS VCVTPS2DQ VCVTTPS2DQ VCVTPS2PD VCVTPD2PS VCVTSS2SD VCVTSD2SS`)
	// VEX integer instructions: AVX on xmm, AVX2 on ymm.
	isaIntVEX = isaSet(`VPADDB VPADDW VPADDD VPADDQ VPSUBB VPSUBW VPSUBD VPSUBQ VPCMPEQB VPCMPEQW VPCMPEQD
		VPCMPEQQ VPCMPGTB VPCMPGTW VPCMPGTD VPCMPGTQ VPAND VPANDN VPOR VPXOR VPSLLD VPSLLQ VPSRLD VPSRLQ
		VPSRAD VPSLLDQ VPSRLDQ VPMULLD VPMULUDQ VPMAXSD VPMINSD VPMAXUD VPMINUD VPSHUFD VPSHUFB VPALIGNR
		VPUNPCKLDQ VPUNPCKHDQ VPUNPCKLQDQ VPUNPCKHQDQ VPBLENDVB VPBLENDW VPMOVMSKB VPEXTRD VPEXTRQ
		VPINSRD VPINSRQ VPABSD VPSIGND`)
	// AVX2 at any width.
	isaAVX2 = isaSet(`VPBROADCASTB VPBROADCASTW VPBROADCASTD VPBROADCASTQ VBROADCASTI128 VPERMD VPERMQ
		VPERMPS VPERMPD VPERM2I128 VEXTRACTI128 VINSERTI128 VPMASKMOVD VPMASKMOVQ VPBLENDD VPSLLVD
		VPSLLVQ VPSRLVD VPSRLVQ VPSRAVD VGATHERDPS VGATHERQPS VGATHERDPD VGATHERQPD VPGATHERDD
		VPGATHERQD VPGATHERDQ VPGATHERQQ`)
	isaFMA = regexp.MustCompile(`^VF(N?M(ADD|SUB)|MADDSUB|MSUBADD)(132|213|231)(PS|PD|SS|SD)$`)
)

func isaSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, f := range strings.Fields(s) {
		m[f] = true
	}
	return m
}

// isaFeature returns the CPU feature an instruction (Go assembler
// mnemonic and operands) needs beyond the base amd64 ISA, "" for none,
// or an error for an instruction this table does not know: classify it
// here before using it.
func isaFeature(op, args string) (string, error) {
	if strings.Contains(op, ".") || isaEVEXReg.MatchString(args) {
		return "AVX512F", nil // EVEX suffixes (.Z, .BCST, ...) or registers
	}
	switch {
	case isaFMA.MatchString(op):
		return "FMA3", nil
	case op == "VBROADCASTSS" || op == "VBROADCASTSD":
		if isaXReg.MatchString(args) {
			return "AVX2", nil // register source
		}
		return "AVX", nil
	case isaAVX2[op]:
		return "AVX2", nil
	case isaIntVEX[op]:
		if isaYReg.MatchString(args) {
			return "AVX2", nil
		}
		return "AVX", nil
	case isaAVX[op]:
		return "AVX", nil
	case isaBase[op], isaGPRE.MatchString(op):
		return "", nil
	}
	if f, ok := isaBMI[strings.TrimRight(op, "LQ")]; ok {
		return f, nil
	}
	return "", fmt.Errorf("instruction %s %s is not classified: add it to the tables of kernels_amd64_isa_test.go", op, args)
}

// TestAsmFeatureTable checks the classifier on instructions that must be
// caught, so that TestAsmFeatures can fail.
func TestAsmFeatureTable(t *testing.T) {
	cases := []struct{ op, args, want string }{
		{"VADDPS", "Y1, Y2, Y3", "AVX"},
		{"VADDPS", "Z1, Z2, Z3", "AVX512F"},
		{"VADDPS", "Y17, Y2, Y3", "AVX512F"},
		{"VADDPS.Z", "Y1, Y2, K1, Y3", "AVX512F"},
		{"VMOVUPS", "(AX), K1, Y2", "AVX512F"},
		{"VPADDD", "X1, X2, X3", "AVX"},
		{"VPADDD", "Y1, Y2, Y3", "AVX2"},
		{"VPCMPGTD", "iota32<>(SB), Y14, Y14", "AVX2"},
		{"VBROADCASTSS", "alpha+0(FP), Y15", "AVX"},
		{"VBROADCASTSS", "X1, Y15", "AVX2"},
		{"VPBROADCASTD", "X14, X14", "AVX2"},
		{"VFMADD231PS", "(SI), Y15, Y0", "FMA3"},
		{"VFNMADD213SD", "X1, X2, X3", "FMA3"},
		{"ANDNQ", "AX, BX, CX", "BMI1"},
		{"SHLXQ", "AX, BX, CX", "BMI2"},
		{"TZCNTL", "AX, BX", "BMI1"},
		{"POPCNTQ", "AX, BX", "POPCNT"},
		{"MOVQ", "x_base+8(FP), SI", ""},
		{"JCS", "221", ""},
		{"DIVQ", "CX", ""},
	}
	for _, c := range cases {
		got, err := isaFeature(c.op, c.args)
		if err != nil || got != c.want {
			t.Errorf("isaFeature(%s %s) = %q, %v; want %q", c.op, c.args, got, err, c.want)
		}
	}
	for _, op := range []string{"VPTERNLOGD", "VPERMT2PS", "VMOVDQU32", "KMOVW", "VPCLMULQDQ", "PSHUFB"} {
		if f, err := isaFeature(op, "Y1, Y2, Y3"); err == nil && f == "" {
			t.Errorf("isaFeature(%s) = base ISA, want a feature or an error", op)
		}
	}
	// The declared sets of this package's functions, for the report.
	files, _ := filepath.Glob("*_amd64.s")
	for _, f := range files {
		d, err := isaDeclared(f)
		if err != nil {
			t.Fatal(err)
		}
		names := make([]string, 0, len(d))
		for n := range d {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			t.Logf("%s: %s requires %v", f, n, d[n])
		}
	}
}
