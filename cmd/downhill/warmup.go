package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math"

	"gonum.org/v1/plot/vg"

	"github.com/downhill-go/downhill/internal/demo"
)

func warmupCommand() command {
	var (
		out    string
		asJSON bool
	)
	return command{
		name:    "warmup",
		args:    "[-out DIR] [-json]",
		summary: "learning-rate warmup: the same peak step diverges without it",
		detail: fmt.Sprintf(`Runs gradient descent on the smallest two-layer linear network,
f(u, v) = (u*v - 1)^2 / 2, from %d random starts u, v ~ N(0, %v^2), for %d
steps at a peak learning rate, with and without a linear warmup of %d
steps (internal/demo, warmup.go). The curvature is largest far from the
minima, where random starts are: without warmup a large first step
overshoots into steeper ground and diverges; with warmup the small first
steps slide down to the minima, where the peak step is safe.

With -out, draws warmup.png there. With -json, prints the counts for
every peak learning rate.`, demo.WarmupRunsN, demo.WarmupInitStd, demo.WarmupSteps, demo.WarmupLen),
		setup: func(fs *flag.FlagSet) func(*env) error {
			fs.StringVar(&out, "out", "", "write warmup.png into this `dir`ectory (created if missing); none without it")
			fs.BoolVar(&asJSON, "json", false, "print one JSON object instead of the summary")
			return func(e *env) error { return runWarmup(e, out, asJSON) }
		},
	}
}

type warmupReport struct {
	*demo.WarmupExperiment
	// The JSON encoder rejects +Inf: a diverged run's final loss is
	// reported as null and Diverged is true.
	ColdLoss *float64 `json:"no_warmup_final_loss"`
	Diverged bool     `json:"no_warmup_diverged"`
	Pictures []string `json:"pictures,omitempty"`
}

func runWarmup(e *env, out string, asJSON bool) error {
	ex, err := demo.RunWarmup()
	if err != nil {
		return err
	}
	pics := &pictures{out: out}
	f, err := pics.file("warmup.png")
	if err != nil {
		return err
	}
	if f != "" {
		if err := drawWarmup(f, ex); err != nil {
			return err
		}
	}
	if asJSON {
		rep := warmupReport{WarmupExperiment: ex, Diverged: ex.Cold.Diverged, Pictures: pics.names}
		if !math.IsInf(ex.ColdLoss, 0) {
			rep.ColdLoss = &ex.ColdLoss
		}
		return json.NewEncoder(e.out).Encode(rep)
	}
	fmt.Fprintf(e.out, "(u*v - 1)^2/2 from %d random starts, %d steps, warmup %d steps:\n", demo.WarmupRunsN, demo.WarmupSteps, demo.WarmupLen)
	for i := range ex.NoWarmup {
		c, w := ex.NoWarmup[i], ex.Warmup[i]
		fmt.Fprintf(e.out, "  peak lr %-4v diverged %3d without warmup, %3d with (solved %3d / %3d)\n", c.Peak, c.Diverged, w.Diverged, c.Solved, w.Solved)
	}
	fmt.Fprintf(e.out, "The start drawn, %.3g: final loss %v without warmup, %v with\n", ex.Start, ex.ColdLoss, ex.WarmLoss)
	for _, p := range pics.names {
		fmt.Fprintf(e.out, "wrote %s\n", p)
	}
	return nil
}

// drawWarmup draws the two paths on the contours, their loss per step,
// and the share of random starts that diverge against the peak step.
func drawWarmup(file string, ex *demo.WarmupExperiment) error {
	const box = 3.5
	var prob demo.Product
	pc := newPlot("f(u, v) = (uv - 1)²/2", "u", "v")
	addContours(pc, func(u, v float64) float64 { return prob.Loss([]float64{u, v}, nil) }, -box, box, -box, box, 0.02, 0.4, 2, 8, 20, 40) // not 0.5: the level of the saddle at (0, 0), whose crossing contour gonum draws in varying order
	cold, warm := ex.Cold.Path, ex.Warm.Path
	for k, p := range cold {
		if math.Abs(p[0]) > box || math.Abs(p[1]) > box {
			cold = cold[:k+1] // the first step out of the picture ends it
			break
		}
	}
	if err := addPath(pc, fmt.Sprintf("no warmup, lr %v: diverges", demo.WarmupPeak), red, cold); err != nil {
		return err
	}
	if err := addPath(pc, fmt.Sprintf("warmup %d steps to lr %v", demo.WarmupLen, demo.WarmupPeak), blue, warm); err != nil {
		return err
	}
	if err := addStar(pc, "start", ex.Start); err != nil {
		return err
	}
	pc.X.Min, pc.X.Max, pc.Y.Min, pc.Y.Max = -box, box, -box, box
	pc.Legend.Top, pc.Legend.Left = false, true

	pl := newPlot("Loss of the run drawn", "step", "f (log scale; 0 not drawn)")
	setLog(&pl.Y)
	for _, r := range []struct {
		name string
		run  demo.WarmupRun
	}{{"no warmup", ex.Cold}, {"warmup", ex.Warm}} {
		ks := make([]float64, len(r.run.Loss))
		for k := range ks {
			ks[k] = float64(k)
		}
		c := blue
		if r.name == "no warmup" {
			c = red
		}
		if err := addLogLine(pl, r.name, c, false, ks, r.run.Loss); err != nil {
			return err
		}
	}
	pl.Legend.Top = true

	pd := newPlot(fmt.Sprintf("%d random starts", demo.WarmupRunsN), "peak learning rate", "% diverged")
	var ps, cs, ws []float64
	for i := range ex.NoWarmup {
		ps = append(ps, ex.NoWarmup[i].Peak)
		cs = append(cs, 100*float64(ex.NoWarmup[i].Diverged)/float64(ex.NoWarmup[i].Runs))
		ws = append(ws, 100*float64(ex.Warmup[i].Diverged)/float64(ex.Warmup[i].Runs))
	}
	if err := addPoints(pd, "no warmup", red, ps, cs); err != nil {
		return err
	}
	if err := addPoints(pd, fmt.Sprintf("warmup %d steps", demo.WarmupLen), blue, ps, ws); err != nil {
		return err
	}
	pd.Y.Min = 0
	pd.Legend.Top, pd.Legend.Left = true, true
	return savePNG(file, 36*vg.Centimeter, 11*vg.Centimeter, pc, pl, pd)
}
