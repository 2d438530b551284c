package sgd

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"strings"
	"testing"

	"github.com/downhill-go/downhill/dispatch"
)

// TestNoUnexportedEmbedding: no exported struct type embeds an unexported
// type (go doc would show the embedded field, which users cannot name).
func TestNoUnexportedEmbedding(t *testing.T) {
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, ".", func(fi fs.FileInfo) bool {
		return !strings.HasSuffix(fi.Name(), "_test.go")
	}, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, pkg := range pkgs {
		for _, f := range pkg.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				ts, ok := n.(*ast.TypeSpec)
				if !ok || !ts.Name.IsExported() {
					return true
				}
				st, ok := ts.Type.(*ast.StructType)
				if !ok {
					return true
				}
				for _, fl := range st.Fields.List {
					if len(fl.Names) > 0 {
						continue
					}
					typ := fl.Type
					if ix, ok := typ.(*ast.IndexExpr); ok {
						typ = ix.X
					}
					if id, ok := typ.(*ast.Ident); ok && !id.IsExported() {
						t.Errorf("%s: exported type %s embeds unexported %s", fset.Position(fl.Pos()), ts.Name, id.Name)
					}
				}
				return true
			})
		}
	}
}

// TestStringers: options and schedules print what they are.
func TestStringers(t *testing.T) {
	for _, c := range []struct {
		v    any
		want string
	}{
		{ClipNorm(5), "ClipNorm(5)"},
		{WithGroup(0, 3, Hyper{LR: 0.5}), "WithGroup(0, 3, "},
		{OnPath(dispatch.Generic), "OnPath(generic)"},
		{Schedule{}, "Constant(1)"},
		{Constant(0.5), "Constant(0.5)"},
		{StepDecay(1, 0.5, 10), "StepDecay(1, 0.5, 10)"},
		{MultiStep(1, 0.1, 5, 8), "MultiStep(1, 0.1, 5, 8)"},
		{Exponential(1, 0.99), "Exponential(1, 0.99)"},
		{Cosine(1, 0, 100), "Cosine(1, 0, 100)"},
		{Polynomial(1, 0, 100, 2), "Polynomial(1, 0, 100, 2)"},
		{OneCycle(1, 100, 0.3, 25, 1e4), "OneCycle(1, 100, 0.3, 25, 10000)"},
		{Warmup(10, Cosine(1, 0, 90)), "Warmup(10, Cosine(1, 0, 90))"},
		{Join([]Schedule{Constant(1), Constant(0.1)}, []int{50}), "Join([Constant(1) Constant(0.1)], [50])"},
		{Func(func(int) float64 { return 1 }), "Func("},
		{Cosine(1, 0, 0), "invalid schedule"},
	} {
		if got := fmt.Sprint(c.v); !strings.HasPrefix(got, c.want) {
			t.Errorf("printed %q, want %q", got, c.want)
		}
	}
}

// TestTrainNothingLeft: a run resumed at or past its last epoch is an
// error, as in the CLI, not a silent success with 0 steps.
func TestTrainNothingLeft(t *testing.T) {
	x, y := linearData[float64](20, 3, 0.1, 8)
	ls, _ := NewLeastSquares(x, y, 3)
	for _, epoch := range []int{2, 3} {
		opt, _ := NewOptimizer[float64](3, Hyper{LR: 0.1})
		h, err := Train(context.Background(), ls, make([]float64, 3), opt, Config{Epochs: 2, BatchSize: 5, Start: SamplerState{Epoch: epoch}})
		if err == nil || !strings.Contains(err.Error(), "Epochs") || h.Steps != 0 {
			t.Errorf("start at epoch %d of 2: %d steps, error %v; want an error about Epochs", epoch, h.Steps, err)
		}
	}
}
