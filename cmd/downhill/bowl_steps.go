package main

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"github.com/downhill-go/downhill/internal/demo"
	"github.com/downhill-go/downhill/sgd"
)

// drawStepSizes draws bowl-step-sizes.png: the paths on the contours of
// the bowl, and the distance to the minimum per step.
func drawStepSizes(file string, runs []demo.StepRun, bowl *sgd.Bowl[float64]) error {
	colours := []color.Color{blue, green, red}
	names := []string{"too small", "right", "too large"}
	pc := newPlot("Fixed step sizes on a bowl", "p1", "p2")
	pd := newPlot("Distance to the minimum", "step", "|p - p*|")
	setLog(&pd.Y)
	const box = 6.5
	addContours(pc, func(x, y float64) float64 { return bowl.Loss([]float64{x, y}, nil) }, -box, box, -box, box, 0.1, 0.5, 1.5, 3, 5, 8, 12, 17, 23, 30)
	thumbs := make([][]plot.Thumbnailer, len(runs))
	labels := make([]string, len(runs))
	steps, dists := make([][]float64, len(runs)), make([][]float64, len(runs))
	// The large step is drawn first, underneath: every path starts along
	// the same gradient.
	for i := len(runs) - 1; i >= 0; i-- {
		r := runs[i]
		path := r.Path
		shown := path
		for k, p := range path {
			if math.Abs(p[0]) > box || math.Abs(p[1]) > box {
				shown = path[:k+1] // the first step out of the picture ends it
				break
			}
		}
		var err error
		if thumbs[i], err = drawPath(pc, "", colours[i], shown); err != nil {
			return err
		}
		labels[i] = fmt.Sprintf("eta %v, %s: %s", r.Eta, names[i], r.Regime)
		for k, p := range path {
			steps[i], dists[i] = append(steps[i], float64(k)), append(dists[i], demo.Norm(p))
		}
	}
	for i, r := range runs {
		if err := addLogLine(pd, fmt.Sprintf("eta %v", r.Eta), colours[i], false, steps[i], dists[i]); err != nil {
			return err
		}
	}
	for i := range labels {
		pc.Legend.Add(labels[i], thumbs[i]...)
	}
	pc.X.Min, pc.X.Max, pc.Y.Min, pc.Y.Max = -box, box, -box, box
	pc.Legend.Top, pc.Legend.Left = false, true
	pd.Legend.Top, pd.Legend.Left = false, true
	return savePNG(file, 24*vg.Centimeter, 11*vg.Centimeter, pc, pd)
}
