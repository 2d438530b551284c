package demo

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"strings"
	"testing"
)

// TestMathOnlyInMathfns: the elementary functions whose results differ
// between math libraries are called from mathfns.go only, so that one
// file decides which implementation the experiments use.
func TestMathOnlyInMathfns(t *testing.T) {
	banned := map[string]bool{"Exp": true, "Exp2": true, "Expm1": true, "Log": true, "Log1p": true, "Log2": true, "Log10": true,
		"Sin": true, "Cos": true, "Tan": true, "Pow": true, "Tanh": true, "Sinh": true, "Cosh": true, "Atan": true, "Atan2": true}
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || name == "mathfns.go" {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if s, ok := n.(*ast.SelectorExpr); ok {
				if x, ok := s.X.(*ast.Ident); ok && x.Name == "math" && banned[s.Sel.Name] {
					t.Errorf("%s: math.%s outside mathfns.go", fset.Position(s.Pos()), s.Sel.Name)
				}
			}
			return true
		})
	}
}
