package main

import (
	"fmt"
	"image/color"

	"gonum.org/v1/plot/vg"

	"github.com/downhill-go/downhill/internal/demo"
)

// drawValley draws bowl-momentum.png: both paths in the valley and their
// loss per step.
func drawValley(file string, v *demo.Valley) error {
	colours := []color.Color{orange, blue}
	pc := newPlot(fmt.Sprintf("A narrow valley (eigenvalues %v and 1)", v.Lmin), "p1", "p2")
	pl := newPlot("Loss", "step", "f(p)")
	setLog(&pl.Y)
	addContours(pc, func(a, b float64) float64 { return v.Bowl.Loss([]float64{a, b}, nil) }, -10, 2, -2.2, 2.2, 0.05, 0.2, 0.5, 1, 1.6, 2.4)
	for i, r := range v.Runs {
		if err := addPath(pc, r.Name, colours[i], r.Path); err != nil {
			return err
		}
		ks := make([]float64, len(r.Loss))
		for k := range ks {
			ks[k] = float64(k)
		}
		if err := addLogLine(pl, r.Name, colours[i], false, ks, r.Loss); err != nil {
			return err
		}
	}
	pc.X.Min, pc.X.Max, pc.Y.Min, pc.Y.Max = -10, 2, -2.2, 2.2
	pc.Legend.Top = false
	pl.Legend.Top, pl.Legend.Left = false, true
	return savePNG(file, 26*vg.Centimeter, 9*vg.Centimeter, pc, pl)
}
