package main

import (
	"bytes"
	"fmt"
	"image/color"

	"github.com/downhill-go/downhill/internal/atomicfile"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Colours of the pictures: the regimes of the bowl and the two sides of
// each comparison.
var (
	blue   = color.RGBA{R: 31, G: 119, B: 180, A: 255}
	green  = color.RGBA{R: 44, G: 160, B: 44, A: 255}
	red    = color.RGBA{R: 214, G: 39, B: 40, A: 255}
	orange = color.RGBA{R: 255, G: 127, B: 14, A: 255}
	grey   = color.RGBA{R: 150, G: 150, B: 150, A: 255}
)

// writeFileAtomic writes data to path atomically (internal/atomicfile):
// a crash or error leaves either the old file or the new one.
func writeFileAtomic(path string, data []byte) error {
	return atomicfile.Write(path, data, 0o644)
}

// savePNG renders the plots side by side (one row) into a PNG file of
// the given size.
func savePNG(path string, w, h vg.Length, plots ...*plot.Plot) error {
	img := vgimg.New(w, h)
	dc := draw.New(img)
	tiles := draw.Tiles{Rows: 1, Cols: len(plots), PadX: vg.Millimeter * 4, PadTop: vg.Millimeter * 2, PadBottom: vg.Millimeter * 2, PadLeft: vg.Millimeter * 2, PadRight: vg.Millimeter * 2}
	for j, p := range plots {
		p.Draw(tiles.At(dc, j, 0))
	}
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(&buf); err != nil {
		return fmt.Errorf("rendering %s: %w", path, err)
	}
	if err := writeFileAtomic(path, buf.Bytes()); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

func newPlot(title, x, y string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = x
	p.Y.Label.Text = y
	p.Add(plotter.NewGrid())
	p.Legend.Top = true
	return p
}

// addLine adds a line with points to p, in colour c, named in the legend.
func addLine(p *plot.Plot, name string, c color.Color, dashed bool, xs, ys []float64) error {
	pts := make(plotter.XYs, len(xs))
	for i := range xs {
		pts[i].X, pts[i].Y = xs[i], ys[i]
	}
	l, err := plotter.NewLine(pts)
	if err != nil {
		return err
	}
	l.Color = c
	l.Width = vg.Points(1.5)
	if dashed {
		l.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
	}
	p.Add(l)
	if name != "" {
		p.Legend.Add(name, l)
	}
	return nil
}

// plotPointsPerEpoch is how often `train -plot` logs the training loss
// (each costs one pass over the training set).
const plotPointsPerEpoch = 4

// lossPoint is one logged training loss, at a fractional epoch.
type lossPoint struct {
	Epochs float64 // examples seen / training examples
	Loss   float64
}

// plotTraining draws the training loss (log scale, every logged point,
// several per epoch) and the test accuracy at the end of every epoch; the
// accuracy before the first epoch (chance) is left out so that the axis
// shows the part that matters.
//
// plotTrainingFn is plotTraining; tests replace it.
var plotTrainingFn = plotTraining

func plotTraining(path string, hist []trainPoint, curve []lossPoint) error {
	if len(hist) == 0 || len(curve) == 0 {
		return fmt.Errorf("-plot: nothing to plot")
	}
	var ep, loss, accEp, acc []float64
	for _, p := range curve {
		ep, loss = append(ep, p.Epochs), append(loss, p.Loss)
	}
	for i, p := range hist {
		if i > 0 || len(hist) == 1 {
			accEp = append(accEp, float64(p.Epoch))
			acc = append(acc, 100*p.Accuracy)
		}
	}
	pl := newPlot(fmt.Sprintf("Training loss (cross-entropy, %d points per epoch)", plotPointsPerEpoch), "epoch", "mean loss (log scale)")
	setLog(&pl.Y)
	px, py := positive(ep, loss)
	if err := addPoints(pl, "", blue, px, py); err != nil {
		return err
	}
	pa := newPlot("Test accuracy after each epoch", "epoch", "% correct")
	if err := addPoints(pa, "", green, accEp, acc); err != nil {
		return err
	}
	lo, hi := acc[0], acc[0]
	for _, a := range acc {
		lo, hi = min(lo, a), max(hi, a)
	}
	pa.Y.Min, pa.Y.Max = max(0, lo-1), min(100, hi+1)
	pa.X.Min = ep[0]
	return savePNG(path, 30*vg.Centimeter, 12*vg.Centimeter, pl, pa)
}
