package dmath

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// exactMath are the functions of package math whose results are the same
// bits on every CPU (exact operations, bit manipulation, classification).
var exactMath = map[string]bool{
	"Abs": true, "Copysign": true, "FMA": true, "Float64bits": true, "Float64frombits": true,
	"Float32bits": true, "Float32frombits": true, "Inf": true, "IsInf": true, "IsNaN": true,
	"NaN": true, "RoundToEven": true, "Round": true, "Trunc": true, "Floor": true, "Ceil": true,
	"Signbit": true, "Sqrt": true, "Max": true, "Min": true,
}

// TestOnlyExactMath fails if the non-test code of dmath or sgd calls a
// function of package math outside exactMath (math.Exp, Log, Pow, Cos...
// differ between CPUs): those packages decide training trajectories.
func TestOnlyExactMath(t *testing.T) {
	for _, dir := range []string{".", "../sgd"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, name, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				sel, ok := n.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				if id, ok := sel.X.(*ast.Ident); ok && id.Name == "math" && !exactMath[sel.Sel.Name] &&
					sel.Sel.Name[0] >= 'A' && sel.Sel.Name[0] <= 'Z' && !isConst(sel.Sel.Name) {
					t.Errorf("%s: math.%s is not exact on every CPU: use dmath", fset.Position(sel.Pos()), sel.Sel.Name)
				}
				return true
			})
		}
	}
}

// isConst reports whether name is one of math's constants.
func isConst(name string) bool {
	switch name {
	case "Pi", "E", "Ln2", "Log2E", "Ln10", "Log10E", "Sqrt2", "SqrtE", "SqrtPi", "SqrtPhi", "Phi",
		"MaxFloat64", "SmallestNonzeroFloat64", "MaxFloat32", "SmallestNonzeroFloat32",
		"MaxInt", "MinInt", "MaxInt64", "MinInt64", "MaxInt32", "MinInt32", "MaxUint32", "MaxUint64":
		return true
	}
	return false
}
