package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/downhill-go/downhill/internal/demo"
)

func bowlCommand() command {
	var (
		out    string
		asJSON bool
	)
	return command{
		name:    "bowl",
		args:    "[-out DIR] [-json]",
		summary: "gradient descent on quadratic bowls: numbers, and pictures with -out",
		detail: `Runs gradient descent on quadratic bowls and least-squares problems with
package sgd (the experiments are in internal/demo) and, with -out, draws
four PNG pictures there:

  bowl-step-sizes.png  one bowl, three fixed step sizes: too small (crawls),
                       right (converges fast), too large (the red path
                       overshoots and climbs out of the bowl)
  bowl-noise-ball.png  SGD with one example per step: a fixed step size
                       leaves a ball of noise around the minimum, a
                       decaying one shrinks it
  bowl-minibatch.png   mini-batch SGD vs full-batch gradient descent,
                       loss against gradient rows computed (work); the
                       seconds are measured and printed, not drawn
  bowl-momentum.png    momentum vs plain descent in a narrow valley

The pictures depend on no clock: running it twice writes the same bytes.
With -json it prints {"runs": [{"eta", "regime", "final_distance",
"steps"}, ...], ...} for the three step sizes (and the other pictures'
numbers) instead of the summary.`,
		setup: func(fs *flag.FlagSet) func(*env) error {
			fs.StringVar(&out, "out", "", "write the PNG files into this `dir`ectory (created if missing); none without it")
			fs.BoolVar(&asJSON, "json", false, "print one JSON object instead of the summary")
			return func(e *env) error { return runBowl(e, out, asJSON) }
		},
	}
}

// The report types live with the experiments.
type (
	bowlRun        = demo.StepRun
	noiseReport    = demo.NoiseReport
	minibatchRep   = demo.MiniBatchReport
	momentumReport = demo.MomentumReport
)

const stepSteps = demo.StepSteps

type bowlReport struct {
	Runs      []bowlRun      `json:"runs"`
	NoiseBall noiseReport    `json:"noise_ball"`
	MiniBatch minibatchRep   `json:"minibatch"`
	Momentum  momentumReport `json:"momentum"`
	Pictures  []string       `json:"pictures,omitempty"`
}

// pictures names the PNG files of a command: none when out is empty.
type pictures struct {
	out   string
	names []string
}

// file returns the path of the picture name, or "" when no pictures are
// wanted; it creates the directory on first use.
func (p *pictures) file(name string) (string, error) {
	if p.out == "" {
		return "", nil
	}
	if len(p.names) == 0 {
		if err := os.MkdirAll(p.out, 0o755); err != nil {
			return "", fmt.Errorf("-out: %w", err)
		}
	}
	f := filepath.Join(p.out, name)
	p.names = append(p.names, f)
	return f, nil
}

func runBowl(e *env, out string, asJSON bool) error {
	var rep bowlReport
	pics := &pictures{out: out}
	steps, bowl, err := demo.StepSizes()
	if err != nil {
		return err
	}
	rep.Runs = steps
	nb, err := demo.RunNoiseBall()
	if err != nil {
		return err
	}
	rep.NoiseBall = nb.Report
	mb, err := demo.RunMiniBatch()
	if err != nil {
		return err
	}
	rep.MiniBatch = mb.Report
	va, err := demo.RunValley()
	if err != nil {
		return err
	}
	rep.Momentum = va.Report
	if out != "" {
		for _, d := range []struct {
			name string
			draw func(string) error
		}{
			{"bowl-step-sizes.png", func(f string) error { return drawStepSizes(f, steps, bowl) }},
			{"bowl-noise-ball.png", func(f string) error { return drawNoiseBall(f, nb) }},
			{"bowl-minibatch.png", func(f string) error { return drawMiniBatch(f, mb) }},
			{"bowl-momentum.png", func(f string) error { return drawValley(f, va) }},
		} {
			f, err := pics.file(d.name)
			if err != nil {
				return err
			}
			if err := d.draw(f); err != nil {
				return err
			}
		}
	}
	rep.Pictures = pics.names
	if asJSON {
		return json.NewEncoder(e.out).Encode(rep)
	}
	fmt.Fprintf(e.out, "Quadratic bowl f(p) = (%.1f p1² + %.1f p2²)/2, start %v, %d steps of gradient descent:\n", demo.StepEig[0], demo.StepEig[1], demo.StepStart, demo.StepSteps)
	for _, r := range rep.Runs {
		fmt.Fprintf(e.out, "  eta %-5v %-9s distance to the minimum %.3g\n", r.Eta, r.Regime, r.FinalDistance)
	}
	n := rep.NoiseBall
	fmt.Fprintf(e.out, "Noise ball (SGD, batch 1, last %d of %d steps): mean distance %.3g with a fixed eta, %.3g with a decaying one\n", n.Tail, n.Steps, n.FixedRadius, n.DecayingRadius)
	m := rep.MiniBatch
	fmt.Fprintf(e.out, "Mini-batch vs full batch, %d examples: excess loss after one epoch of gradient rows %.3g (batch %d) vs %.3g (full batch);\n", m.Examples, m.MiniBatchAtOneEp, m.Batch, m.FullBatchAtOneEp)
	fmt.Fprintf(e.out, "  after %d rows: %.3g (%d steps, %.2fs measured) vs %.3g (%d steps, %.2fs measured)\n", m.Budget, m.MiniBatchExcess, m.MiniBatchSteps, m.MiniBatchSeconds, m.FullBatchExcess, m.FullBatchSteps, m.FullBatchSeconds)
	mo := rep.Momentum
	fmt.Fprintf(e.out, "Narrow valley, %d steps: loss %.3g with momentum %v (eta %v) vs %.3g without (eta %v)\n", mo.Steps, mo.MomentumLoss, mo.Mu, mo.MomentumEta, mo.PlainLoss, mo.PlainEta)
	for _, p := range rep.Pictures {
		fmt.Fprintf(e.out, "wrote %s\n", p)
	}
	return nil
}
