package main

import (
	"image/color"

	"gonum.org/v1/plot/vg"

	"github.com/downhill-go/downhill/internal/demo"
)

// drawNoiseBall draws bowl-noise-ball.png: the first 300 steps of each
// run on the contours, the last steps around the minimum, and the
// windowed distance to the minimum.
func drawNoiseBall(file string, nb *demo.NoiseBall) error {
	colours := []color.Color{orange, blue}
	prob, best := nb.Prob, nb.Best
	tail := nb.Report.Tail
	pc := newPlot("SGD, one example per step", "w1", "w2")
	pz := newPlot("Zoom on the minimum (last 1000 steps)", "w1", "w2")
	pd := newPlot("Distance to the minimum", "step", "mean |w - w*| per 50 steps")
	setLog(&pd.Y)
	loss := func(a, b float64) float64 { return prob.Loss([]float64{a, b}, nil) - prob.Loss(best, nil) }
	addContours(pc, loss, -3.5, 4, -2.5, 3, 0.02, 0.1, 0.3, 0.6, 1, 1.5, 2, 3)
	const zoom = 0.45
	addContours(pz, loss, best[0]-zoom, best[0]+zoom, best[1]-zoom, best[1]+zoom, 0.002, 0.005, 0.01, 0.02, 0.04)
	for i, r := range nb.Runs {
		if err := addPath(pc, r.Name, colours[i], r.Path[:300]); err != nil {
			return err
		}
		if err := addDots(pz, "", colours[i], r.Path[len(r.Path)-tail:]); err != nil { // the legend is on the left
			return err
		}
		if err := addLogLine(pd, r.Name, colours[i], false, r.WindowStep, r.WindowDist); err != nil {
			return err
		}
	}
	if err := addStar(pc, "minimum", best); err != nil {
		return err
	}
	if err := addStar(pz, "", best); err != nil {
		return err
	}
	pc.X.Min, pc.X.Max, pc.Y.Min, pc.Y.Max = -3.5, 4, -2.5, 3
	pz.X.Min, pz.X.Max, pz.Y.Min, pz.Y.Max = best[0]-zoom, best[0]+zoom, best[1]-zoom, best[1]+zoom
	pd.Legend.Top = false
	pd.Legend.Left = true
	pd.Y.Min = 0.002 // room for the legend
	return savePNG(file, 30*vg.Centimeter, 10*vg.Centimeter, pc, pz, pd)
}
