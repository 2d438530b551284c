package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"github.com/downhill-go/downhill/gen/internal/table"
)

// TestTableNamesExist checks that every kernel's specification and
// generic implementation named in the table is an exported function of
// its package, so that a renamed function cannot leave the table (and the
// comments generated from it) pointing nowhere.
func TestTableNamesExist(t *testing.T) {
	funcs := map[string]map[string]bool{} // package dir -> functions
	load := func(pkg string) map[string]bool {
		if m, ok := funcs[pkg]; ok {
			return m
		}
		dir, ok := map[string]string{"kernels": "../kernels", "generic": "../internal/generic"}[pkg]
		if !ok {
			t.Fatalf("unknown package %q", pkg)
		}
		m := map[string]bool{}
		fset := token.NewFileSet()
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			af, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range af.Decls {
				if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil {
					m[fd.Name.Name] = true
				}
			}
		}
		funcs[pkg] = m
		return m
	}
	for _, k := range table.Kernels {
		for _, name := range []string{k.Spec, k.Generic} {
			pkg, fn, ok := strings.Cut(name, ".")
			if !ok || !load(pkg)[fn] {
				t.Errorf("%s: %s is not a function of package %s", k.Name, name, pkg)
			}
		}
		for _, params := range []string{k.Params, k.AsmParams} {
			src := "package p\nfunc f(" + table.Expand(params, 32) + ")"
			if _, err := parser.ParseFile(token.NewFileSet(), "", src, 0); err != nil {
				t.Errorf("%s: parameters %q: %v", k.Name, params, err)
			}
		}
	}
}

// TestDriversExist checks that every Go driver the generated switches
// call is a function of the file the table names for it, so the table
// cannot point a switch (or the generated comment) at a missing driver.
func TestDriversExist(t *testing.T) {
	n := 0
	for _, k := range table.Kernels {
		if k.Driver == "" {
			continue
		}
		for _, p := range table.Paths {
			n++
			file := filepath.Join("..", k.DriverFile(p))
			af, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Errorf("%s: driver file: %v", k.Name, err)
				continue
			}
			name, found := k.CallName(32, p), false
			for _, d := range af.Decls {
				if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.Name == name {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: %s does not define %s", k.Name, file, name)
			}
		}
	}
	if n == 0 {
		t.Error("no kernel of the table has a driver")
	}
}
