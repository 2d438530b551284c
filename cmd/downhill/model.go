package main

import (
	"flag"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/downhill-go/downhill/sgd"
)

// modelFlags are the flags of `downhill train` that choose the model and
// the optimizer's extras.
type modelFlags struct {
	model       string
	hidden      string
	nesterov    bool
	weightDecay float64
	clip        float64
}

var defaultModel = modelFlags{model: "softmax", hidden: "256"}

func (m *modelFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&m.model, "model", m.model, "softmax (softmax regression) or mlp (ReLU hidden layers, He initialisation from -seed)")
	fs.StringVar(&m.hidden, "hidden", m.hidden, "widths of the hidden layers of -model mlp, comma-separated (e.g. 256 or 512,256)")
	fs.BoolVar(&m.nesterov, "nesterov", m.nesterov, "Nesterov momentum (needs -momentum > 0)")
	fs.Float64Var(&m.weightDecay, "weight-decay", m.weightDecay, "coupled weight decay λ (PyTorch's weight_decay; applies to every parameter); 0: none")
	fs.Float64Var(&m.clip, "clip", m.clip, "clip the global gradient norm to this value; 0: no clipping")
}

// widths parses -hidden.
func (m *modelFlags) widths() ([]int, error) {
	var w []int
	for _, s := range strings.Split(m.hidden, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || v < 1 || v > 1<<16 {
			return nil, usagef("-hidden %q: want comma-separated widths from 1 to %d", m.hidden, 1<<16)
		}
		w = append(w, v)
	}
	return w, nil
}

func (m *modelFlags) validate(momentum float64) error {
	switch {
	case m.model != "softmax" && m.model != "mlp":
		return usagef("-model %q: want softmax or mlp", m.model)
	case m.nesterov && momentum == 0:
		return usagef("-nesterov needs -momentum > 0")
	case !(m.weightDecay >= 0) || m.weightDecay > 1e300:
		return usagef("-weight-decay %v: want a finite number >= 0", m.weightDecay)
	case !(m.clip >= 0) || m.clip > 1e300:
		return usagef("-clip %v: want a finite number >= 0", m.clip)
	}
	_, err := m.widths()
	return err
}

// model is what `downhill train` trains: a batch-gradient problem that can
// score a test set.
type model interface {
	sgd.BatchProblem[float32]
	Accuracy(params, x []float32, labels []int) (float64, error)
}

// modelInfo is the model part of the -json output.
type modelInfo struct {
	Kind        string    `json:"kind"`
	Sizes       []int     `json:"sizes"` // layer widths: inputs, hidden..., classes
	Dim         int       `json:"dim"`
	Layout      string    `json:"layout"`
	L2          float64   `json:"l2"`
	WeightDecay float64   `json:"weight_decay"`
	Nesterov    bool      `json:"nesterov"`
	Clip        float64   `json:"clip"`
	Params      []float32 `json:"params"`
}

const layoutDoc = "layers in order; layer a->b is a b x (a+1) row-major matrix, row j = weights of unit j then its bias"

// newModel builds the model of m on (x, y) and its initial parameters.
func (m *modelFlags) newModel(x []float32, y []int, features int, l2 float64, seed uint64) (model, []float32, modelInfo, error) {
	info := modelInfo{Kind: m.model, Layout: layoutDoc, L2: l2, WeightDecay: m.weightDecay, Nesterov: m.nesterov, Clip: m.clip}
	if m.model == "softmax" {
		p, err := sgd.NewSoftmaxRegression(x, y, features, 10, l2)
		if err != nil {
			return nil, nil, info, err
		}
		info.Sizes, info.Dim = []int{features, 10}, p.Dim()
		return p, make([]float32, p.Dim()), info, nil
	}
	if l2 != 0 {
		return nil, nil, info, usagef("-l2 is for -model softmax; use -weight-decay with -model mlp")
	}
	w, err := m.widths()
	if err != nil {
		return nil, nil, info, err
	}
	p, err := sgd.NewMLP(x, y, features, 10, w)
	if err != nil {
		return nil, nil, info, err
	}
	params := make([]float32, p.Dim())
	if err := p.Init(params, seed); err != nil {
		return nil, nil, info, err
	}
	info.Sizes, info.Dim = p.Sizes(), p.Dim()
	return p, params, info, nil
}

// options returns the optimizer options of m.
func (m *modelFlags) options() []sgd.Option {
	if m.clip > 0 {
		return []sgd.Option{sgd.ClipNorm(m.clip)}
	}
	return nil
}

// countingModel counts the examples whose gradient was computed, for the
// progress bar.
type countingModel struct {
	model
	n atomic.Int64
}

func (c *countingModel) BatchGradient(params []float32, idx []int, grad []float32, s *sgd.Scratch[float32]) float64 {
	l := c.model.BatchGradient(params, idx, grad, s)
	c.n.Add(int64(len(idx)))
	return l
}

func (m *modelFlags) String() string {
	if m.model == "mlp" {
		return fmt.Sprintf("mlp (hidden %s)", m.hidden)
	}
	return m.model
}
