package sgd

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// panicky panics in Gradients on example badGrad, or in Loss once the
// parameters have moved, when asked to. It is large enough for Train to
// split both the gradient rows and the loss chunks among workers.
type panicky struct {
	badGrad    int  // example whose gradient panics (-1: none)
	lossPanics bool // Loss panics once params[0] != 0
}

func (panicky) Dim() int { return 64 }
func (panicky) Len() int { return 5000 }
func (p panicky) Loss(params []float64, idx []int) float64 {
	if p.lossPanics && params[0] != 0 {
		panic("loss exploded")
	}
	return 1
}
func (p panicky) Gradients(params []float64, idx []int, rows []float64) {
	for j, i := range idx {
		if i == p.badGrad {
			panic("gradient exploded")
		}
		row := rows[j*64 : (j+1)*64]
		for k := range row {
			row[k] = 1
		}
	}
}

// TestTrainProblemPanics: a panic in Problem.Gradients or Problem.Loss
// comes back from Train as a *PanicError naming the method, for any
// number of workers (a panic inside a worker goroutine used to kill the
// process).
func TestTrainProblemPanics(t *testing.T) {
	for _, c := range []struct {
		name   string
		prob   panicky
		method string
	}{
		{"Gradients", panicky{badGrad: 4321}, "Gradients"},
		{"Loss", panicky{badGrad: -1, lossPanics: true}, "Loss"},
	} {
		for _, workers := range []int{1, 2, 4} {
			opt, _ := NewOptimizer[float64](64, Hyper{LR: 0.1})
			params := make([]float64, 64)
			h, err := Train(context.Background(), c.prob, params, opt, Config{Epochs: 2, BatchSize: 1000, Workers: workers})
			var pe *PanicError
			if !errors.As(err, &pe) || pe.Method != c.method || !strings.Contains(err.Error(), c.method) ||
				!strings.Contains(err.Error(), "exploded") || h.Stop != StopError {
				t.Errorf("%s, %d workers: stop %q, error %v; want a *PanicError about %s", c.name, workers, h.Stop, err, c.method)
			}
		}
	}
}
