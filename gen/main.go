// Command gen regenerates every generated file of downhill:
//
//   - from the kernel table (gen/internal/table): the path switches and
//     //go:noescape declarations of every GOARCH (kernels_amd64.go,
//     kernels_arm64.go, kernels_other.go), dispatch's compiled-path lists
//     (dispatch/compiled_*.go) and path features (dispatch/features_gen.go),
//     and the feature table of the amd64 instruction-set test
//     (kernels_amd64_isa_features_test.go);
//   - the amd64 assembly (<family>_amd64.s), by running the avo
//     generators of gen/_asm, a module of its own, into a temporary
//     directory;
//   - the arm64 assembly (<family>_arm64.s), one text/template per kernel
//     family in gen/arm64/ instantiated for float32 and float64 (arm64.go).
//
// The Go arm64 assembler has no vector FADD, FMUL, FNEG or FADDP, so the
// templates write each of them as a WORD followed by its GNU mnemonic, in
// the convention of github.com/minio/asm2plan9s:
//
//	WORD $0x4e22d420 // fadd v0.4s, v1.4s, v2.4s
//
// gen runs asm2plan9s (the version pinned as a tool in go.mod), which
// assembles each such mnemonic with GNU as for aarch64 and fills in the
// hex. asm2plan9s only calls GNU as when it is itself built for arm64, so
// on any other host gen builds it with GOARCH=arm64 and runs it under
// qemu-aarch64-static; GNU as for aarch64 (Debian binutils-aarch64-linux-gnu,
// or the native as on an arm64 host) is offered to it as "as" on a PATH
// that holds nothing else, so no other assembler (yasm) can be picked.
//
// Usage, from anywhere in the module:
//
//	go run ./gen          # rewrite whatever is stale
//	go run ./gen -check   # write nothing; exit 1 if any file is stale (CI)
//	go generate ./gen     # same as go run ./gen
//
// The output is a fixed point: running gen on its own output changes
// nothing.
package main

//go:generate go run .

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
)

func main() {
	check := flag.Bool("check", false, "do not write; exit 1 if any generated file is stale")
	flag.Parse()
	if err := generateAll(*check); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

// generateAll regenerates, in order: the Go files of the kernel table
// (gofiles.go), the amd64 assembly (avo, gen/_asm) and the arm64
// assembly (templates, then asm2plan9s for the WORDs). With check it
// writes nothing and fails if any file differs from what it would write.
func generateAll(check bool) error {
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	var stale, wrote []string
	sync := func(name string, want []byte) error {
		path := filepath.Join(root, name)
		have, err := os.ReadFile(path)
		if err != nil && !os.IsNotExist(err) {
			return err
		}
		if err == nil && bytes.Equal(have, want) {
			return nil
		}
		if check {
			stale = append(stale, name)
			return nil
		}
		fmt.Printf("gen: wrote %s\n", name)
		wrote = append(wrote, name)
		return os.WriteFile(path, want, 0o644)
	}

	files, err := goFiles()
	if err != nil {
		return err
	}
	if err := syncAll(files, sync); err != nil {
		return err
	}

	asm, err := avoFiles(root)
	if err != nil {
		return err
	}
	if err := syncAll(asm, sync); err != nil {
		return err
	}

	arm, err := generateARM64()
	if err != nil {
		return err
	}
	asm2, err := newAssembler(root)
	if err != nil {
		return err
	}
	defer asm2.close()
	names := make([]string, 0, len(arm))
	for n := range arm {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, name := range names {
		if err := validate(arm[name]); err != nil {
			return fmt.Errorf("%s: %v", name, err)
		}
		out, err := asm2.assemble(name, arm[name])
		if err != nil {
			return err
		}
		if err := sync(name, out); err != nil {
			return err
		}
	}

	if len(stale) > 0 {
		slices.Sort(stale)
		return fmt.Errorf("stale (run go run ./gen and commit the result): %s", strings.Join(stale, ", "))
	}
	if len(wrote) == 0 {
		fmt.Println("gen: every generated file is up to date")
	}
	return nil
}

func syncAll(files map[string][]byte, sync func(string, []byte) error) error {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		if err := sync(n, files[n]); err != nil {
			return err
		}
	}
	return nil
}

// avoFiles runs the avo generators (gen/_asm, a module of its own) into a
// avoFiles runs the avo generators (gen/_asm, a module of its own) into a
// temporary directory and returns the .s files they write.
func avoFiles(root string) (map[string][]byte, error) {
	tmp, err := os.MkdirTemp("", "downhill-avo-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	cmd := exec.Command("go", "run", ".", "-out", tmp)
	cmd.Dir = filepath.Join(root, "gen", "_asm")
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("go run ./gen/_asm: %v\n%s", err, out)
	}
	ents, err := os.ReadDir(tmp)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	for _, e := range ents {
		src, err := os.ReadFile(filepath.Join(tmp, e.Name()))
		if err != nil {
			return nil, err
		}
		files[e.Name()] = src
	}
	if len(files) == 0 {
		return nil, errors.New("go run ./gen/_asm wrote no file")
	}
	return files, nil
}

// moduleRoot is the nearest directory at or above the working directory
// that holds go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

// wordLine is the only form of WORD line gen accepts: one tab, the
// word, one space-separated comment holding the GNU mnemonic, optionally
// followed by a /* remark */ that GNU as does not see.
var wordLine = regexp.MustCompile(`^\tWORD \$0x[0-9a-f]{8} // [a-z0-9][^/]*(/\*[^/]*\*/)?$`)

// validate rejects lines that asm2plan9s would misread: a WORD line in
// another form (it would be silently skipped), or any other line whose
// text before "//" is exactly 65 columns wide once tabs count as four
// spaces (asm2plan9s takes such a line for an instruction to assemble).
func validate(src []byte) error {
	for i, line := range strings.Split(string(src), "\n") {
		if strings.Contains(line, "WORD") && !strings.HasPrefix(strings.TrimSpace(line), "//") {
			if !wordLine.MatchString(line) {
				return fmt.Errorf("line %d: WORD line not in the form \"\\tWORD $0x00000000 // mnemonic\": %q", i+1, line)
			}
			continue
		}
		fields := strings.Split(strings.ReplaceAll(line, "\t", "    "), "//")
		if len(fields) == 2 && len(fields[0]) == 65 {
			return fmt.Errorf("line %d: 65 columns before the comment would be taken for an instruction; reflow it", i+1)
		}
	}
	return nil
}

// assembler runs asm2plan9s, built once for arm64, in a temporary
// directory.
type assembler struct {
	tmp, tool, bin string
}

func newAssembler(root string) (*assembler, error) {
	tmp, err := os.MkdirTemp("", "downhill-gen-")
	if err != nil {
		return nil, err
	}
	a := &assembler{tmp: tmp, tool: filepath.Join(tmp, "asm2plan9s"), bin: filepath.Join(tmp, "bin")}
	// asm2plan9s, built for arm64 so that it drives GNU as.
	build := exec.Command("go", "build", "-o", a.tool, "github.com/minio/asm2plan9s")
	build.Dir = root
	build.Env = append(os.Environ(), "GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		a.close()
		return nil, fmt.Errorf("building asm2plan9s for arm64: %v\n%s", err, out)
	}
	// A PATH holding only "as", which is GNU as for aarch64.
	gas, err := findGAS()
	if err == nil {
		err = os.Mkdir(a.bin, 0o755)
	}
	if err == nil {
		err = os.Symlink(gas, filepath.Join(a.bin, "as"))
	}
	if err != nil {
		a.close()
		return nil, err
	}
	return a, nil
}

func (a *assembler) close() { os.RemoveAll(a.tmp) }

// assemble runs asm2plan9s on a copy of src and returns the text with
// every WORD encoded.
func (a *assembler) assemble(name string, src []byte) ([]byte, error) {
	work := filepath.Join(a.tmp, name)
	if err := os.WriteFile(work, src, 0o644); err != nil {
		return nil, err
	}
	var cmd *exec.Cmd
	if runtime.GOARCH == "arm64" && runtime.GOOS == "linux" {
		cmd = exec.Command(a.tool, work)
	} else {
		qemu, err := exec.LookPath("qemu-aarch64-static")
		if err != nil {
			return nil, fmt.Errorf("on %s/%s gen runs asm2plan9s under qemu-aarch64-static (Debian qemu-user-static): %v", runtime.GOOS, runtime.GOARCH, err)
		}
		cmd = exec.Command(qemu, a.tool, work)
	}
	cmd.Dir = a.tmp
	cmd.Env = []string{"PATH=" + a.bin, "TMPDIR=" + a.tmp, "HOME=" + a.tmp}
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("asm2plan9s %s: %v\n%s", name, err, out)
	}
	return os.ReadFile(work)
}

// findGAS returns the path of GNU as for aarch64.
func findGAS() (string, error) {
	if p, err := exec.LookPath("aarch64-linux-gnu-as"); err == nil {
		return filepath.Abs(p)
	}
	if runtime.GOARCH == "arm64" {
		if p, err := exec.LookPath("as"); err == nil {
			return filepath.Abs(p)
		}
	}
	return "", errors.New("GNU as for aarch64 not found: install binutils-aarch64-linux-gnu")
}
