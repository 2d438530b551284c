// Command _asm generates downhill's amd64 assembly with avo.
//
// It lives in its own module (like Go's crypto/*/_asm generators) so that
// avo never becomes a dependency of the library. Each kernel family is one
// Go file here that registers a generator writing one .s file; float32 and
// float64 (and vector widths) are parameters of that generator, never
// copies.
//
// Run from the repository root:
//
//	(cd gen/_asm && go run . -out ../..)
//
// `go run ./gen -check` runs it into a temporary directory and fails on any
// difference with the committed files.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/ir"
	"github.com/mmcloughlin/avo/pass"
	"github.com/mmcloughlin/avo/printer"
)

// family is one generated assembly file.
type family struct {
	file string                 // output file name, e.g. "axpy_amd64.s"
	gen  func(c *build.Context) // emits every function of the family
}

var families = map[string]family{}

// register adds a family; each family file calls it from init.
func register(name, file string, gen func(c *build.Context)) {
	if _, dup := families[name]; dup {
		log.Fatalf("family %q registered twice", name)
	}
	families[name] = family{file, gen}
}

func main() {
	// avo's build package defines its own flags (-out among them) on
	// flag.CommandLine, so this command parses a flag set of its own.
	fs := flag.NewFlagSet("_asm", flag.ExitOnError)
	out := fs.String("out", "../..", "directory the .s files are written to")
	only := fs.String("family", "", "generate only this family")
	fs.Parse(os.Args[1:])
	names := make([]string, 0, len(families))
	for n := range families {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if *only != "" && n != *only {
			continue
		}
		f := families[n]
		src, err := generate(f)
		if err != nil {
			log.Fatalf("%s: %v", n, err)
		}
		if err := os.WriteFile(filepath.Join(*out, f.file), src, 0o644); err != nil {
			log.Fatal(err)
		}
	}
}

// generate runs one family through avo's compiler passes (register
// allocation, frame layout) and prints Go assembly.
func generate(f family) ([]byte, error) {
	c := build.NewContext()
	c.ConstraintExpr("!purego")
	f.gen(c)
	file, err := c.Result()
	if err != nil {
		return nil, err
	}
	if err := pass.Compile.Execute(file); err != nil {
		return nil, err
	}
	cfg := printer.Config{Argv: []string{"go", "run", "./gen/_asm"}, Pkg: "downhill"}
	src, err := printer.NewGoAsm(cfg).Print(file)
	if err != nil {
		return nil, err
	}
	if !bytes.Contains(src, []byte("DO NOT EDIT")) {
		return nil, fmt.Errorf("printer output lacks the DO NOT EDIT line")
	}
	return withDocs(src, file)
}

// withDocs writes each function's documentation (build.Context.Doc, which
// avo's assembly printer leaves out) between its "// func" line and its
// "// Requires:" line, so that the header comment states the Go the
// function implements.
func withDocs(src []byte, file *ir.File) ([]byte, error) {
	for _, fn := range file.Functions() {
		if len(fn.Doc) == 0 {
			continue
		}
		stub := []byte("\n// func " + fn.Name + "(")
		i := bytes.Index(src, stub)
		if i < 0 {
			return nil, fmt.Errorf("%s: no // func line in the output", fn.Name)
		}
		eol := i + 1 + bytes.IndexByte(src[i+1:], '\n')
		var doc bytes.Buffer
		for _, l := range fn.Doc {
			if strings.HasPrefix(l, "\t") {
				doc.WriteString("//" + l)
			} else {
				doc.WriteString(strings.TrimRight("// "+l, " "))
			}
			doc.WriteByte('\n')
		}
		doc.WriteString("//\n")
		src = append(src[:eol+1], append(doc.Bytes(), src[eol+1:]...)...)
	}
	return src, nil
}
