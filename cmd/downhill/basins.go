package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/downhill-go/downhill/internal/demo"
)

func basinsCommand() command {
	var (
		out    string
		asJSON bool
	)
	return command{
		name:    "basins",
		args:    "[-out DIR] [-json]",
		summary: "noise as a regulariser: SGD leaves a sharp basin for a flat one",
		detail: fmt.Sprintf(`Runs %d seeded runs of full-batch gradient descent and of SGD from the
same random starts on a one-dimensional loss with a sharp basin and a
flat one a little less deep (internal/demo, basins.go), with the same fixed
step %v: gradient descent ends in the basin it starts in, SGD with one
example per step ends in the flat one. Then the same with larger
batches, and with smaller steps (over as long a time eta*steps): the
effect fades as the noise shrinks.

With -out, draws basins.png there. With -json, prints the counts.`, demo.BasinRunsN, demo.BasinEta),
		setup: func(fs *flag.FlagSet) func(*env) error {
			fs.StringVar(&out, "out", "", "write basins.png into this `dir`ectory (created if missing); none without it")
			fs.BoolVar(&asJSON, "json", false, "print one JSON object instead of the summary")
			return func(e *env) error { return runBasins(e, out, asJSON) }
		},
	}
}

type basinsReport struct {
	*demo.BasinSweep
	Pictures []string `json:"pictures,omitempty"`
}

func runBasins(e *env, out string, asJSON bool) error {
	sw, err := demo.RunBasinSweep()
	if err != nil {
		return err
	}
	pics := &pictures{out: out}
	f, err := pics.file("basins.png")
	if err != nil {
		return err
	}
	if f != "" {
		if err := drawBasins(f, sw); err != nil {
			return err
		}
	}
	if asJSON {
		return json.NewEncoder(e.out).Encode(basinsReport{sw, pics.names})
	}
	fmt.Fprintf(e.out, "%d runs from the same starts (%d of them in the flat basin), fixed step %v, %d steps:\n", sw.GD.Runs, sw.GD.StartFlat, demo.BasinEta, demo.BasinSteps)
	fmt.Fprintf(e.out, "  sharp minimum at %.3f (curvature %.3g), flat one at %.3f (curvature %.3g): eta*curvature %.2f and %.2f (< 2: gradient descent is stable in both)\n",
		sw.SharpAt, sw.SharpCurvature, sw.FlatAt, sw.FlatCurvature, demo.BasinEta*sw.SharpCurvature, demo.BasinEta*sw.FlatCurvature)
	fmt.Fprintf(e.out, "  full-batch gradient descent: %3d end in the flat basin, %3d in the basin they started in\n", sw.GD.Flat, sw.GD.Stayed)
	fmt.Fprintf(e.out, "  SGD, one example per step:   %3d end in the flat basin, %3d in the basin they started in\n", sw.SGD.Flat, sw.SGD.Stayed)
	fmt.Fprintf(e.out, "Batch size sweep (step %v): ", demo.BasinEta)
	for _, r := range sw.Batches {
		fmt.Fprintf(e.out, " B=%d: %d", r.Batch, r.Flat)
	}
	fmt.Fprintf(e.out, "\nStep size sweep (batch 1, eta*steps = %v): ", demo.BasinEta*demo.BasinSteps)
	for _, r := range sw.Etas {
		fmt.Fprintf(e.out, " eta=%v: %d", r.Eta, r.Flat)
	}
	fmt.Fprintln(e.out)
	for _, p := range pics.names {
		fmt.Fprintf(e.out, "wrote %s\n", p)
	}
	return nil
}

// drawBasins draws the loss with where the runs end, and the two sweeps.
func drawBasins(file string, sw *demo.BasinSweep) error {
	b := demo.NewBasins(demo.BasinSeed)
	const x0, x1 = -2.2, 3.2
	pl := newPlot("A sharp and a flat basin", "x", "loss")
	var xs, ls []float64
	for k := 0; k <= 540; k++ {
		x := x0 + (x1-x0)*float64(k)/540
		xs, ls = append(xs, x), append(ls, b.Loss([]float64{x}, nil))
	}
	if err := addLine(pl, "", color.Black, false, xs, ls); err != nil {
		return err
	}
	// Where the runs end: one dot per run, on the curve for gradient
	// descent, above it for SGD (the dots of one basin overlap).
	ends := func(r demo.BasinRuns, lift float64, c color.Color, rad vg.Length, name string) error {
		pts := make(plotter.XYs, len(r.Final))
		for i, x := range r.Final {
			pts[i].X, pts[i].Y = x, b.Loss([]float64{x}, nil)+lift
		}
		s, err := plotter.NewScatter(pts)
		if err != nil {
			return err
		}
		s.Color, s.Radius, s.Shape = c, rad, draw.CircleGlyph{}
		pl.Add(s)
		pl.Legend.Add(name, s)
		return nil
	}
	if err := ends(sw.GD, 0, grey, vg.Points(5), fmt.Sprintf("gradient descent ends: %d of %d flat", sw.GD.Flat, sw.GD.Runs)); err != nil {
		return err
	}
	if err := ends(sw.SGD, 0.12, blue, vg.Points(2.5), fmt.Sprintf("SGD, batch 1, ends: %d of %d flat", sw.SGD.Flat, sw.SGD.Runs)); err != nil {
		return err
	}
	// The start interval and the ridge between the basins.
	lo := -1.2
	if err := addLine(pl, "starts (uniform)", orange, false, []float64{demo.BasinStartLo, demo.BasinStartHi}, []float64{lo, lo}); err != nil {
		return err
	}
	if err := addLine(pl, "ridge", grey, true, []float64{sw.Barrier, sw.Barrier}, []float64{lo, 0.3}); err != nil {
		return err
	}
	pl.Y.Min, pl.Y.Max = -1.9, 0.3
	pl.X.Min, pl.X.Max = x0, x1
	pl.Legend.Top, pl.Legend.Left = false, false

	frac := func(rs []demo.BasinRuns, x func(demo.BasinRuns) float64) (xs, ys []float64) {
		for _, r := range rs {
			xs, ys = append(xs, x(r)), append(ys, 100*r.FlatFraction())
		}
		return xs, ys
	}
	started := 100 * float64(sw.GD.StartFlat) / float64(sw.GD.Runs)
	pb := newPlot(fmt.Sprintf("Batch size (step %v, %d steps)", demo.BasinEta, demo.BasinSteps), "batch size (log scale; 64 = full batch)", "% of runs ending flat")
	pb.X.Scale = plot.LogScale{}
	pb.X.Tick.Marker = plot.ConstantTicks(batchTicks(sw.Batches))
	bx, by := frac(sw.Batches, func(r demo.BasinRuns) float64 { return float64(r.Batch) })
	if err := addPoints(pb, "SGD", blue, bx, by); err != nil {
		return err
	}
	if err := addLine(pb, "started flat", grey, true, []float64{bx[0], bx[len(bx)-1]}, []float64{started, started}); err != nil {
		return err
	}
	pe := newPlot(fmt.Sprintf("Step size (batch 1, eta x steps = %v)", demo.BasinEta*demo.BasinSteps), "eta", "% of runs ending flat")
	ex, ey := frac(sw.Etas, func(r demo.BasinRuns) float64 { return r.Eta })
	if err := addPoints(pe, "SGD", blue, ex, ey); err != nil {
		return err
	}
	if err := addLine(pe, "started flat", grey, true, []float64{ex[len(ex)-1], ex[0]}, []float64{started, started}); err != nil {
		return err
	}
	for _, p := range []*plot.Plot{pb, pe} {
		p.Y.Min, p.Y.Max = 0, 105
		p.Legend.Top, p.Legend.Left = false, true
	}
	return savePNG(file, 36*vg.Centimeter, 11*vg.Centimeter, pl, pb, pe)
}

// batchTicks labels every batch size of the sweep.
func batchTicks(rs []demo.BasinRuns) []plot.Tick {
	var t []plot.Tick
	for _, r := range rs {
		t = append(t, plot.Tick{Value: float64(r.Batch), Label: fmt.Sprint(r.Batch)})
	}
	return t
}

// addPoints draws a line with a dot at every point.
func addPoints(p *plot.Plot, name string, c color.Color, xs, ys []float64) error {
	pts := make(plotter.XYs, len(xs))
	for i := range xs {
		pts[i].X, pts[i].Y = xs[i], ys[i]
	}
	l, s, err := plotter.NewLinePoints(pts)
	if err != nil {
		return err
	}
	l.Color, l.Width = c, vg.Points(1.5)
	s.Color, s.Radius, s.Shape = c, vg.Points(3), draw.CircleGlyph{}
	p.Add(l, s)
	if name != "" {
		p.Legend.Add(name, l, s)
	}
	return nil
}
