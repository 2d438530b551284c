package main

import (
	"fmt"

	"gonum.org/v1/plot/vg"

	"github.com/downhill-go/downhill/internal/demo"
)

// drawMiniBatch draws bowl-minibatch.png: the excess loss of both runs
// against the gradient rows computed. No clock is involved: the picture
// is the same on every run and every machine.
func drawMiniBatch(file string, mb *demo.MiniBatch) error {
	r := mb.Report
	p := newPlot(fmt.Sprintf("Least squares, %d examples, %d features", r.Examples, r.Features), "examples processed (log scale)", "loss - min loss")
	setLog(&p.Y)
	setLog(&p.X)
	if err := addLogLine(p, mb.Full.Name, grey, false, mb.Full.Rows, mb.Full.Excess); err != nil {
		return err
	}
	if err := addLogLine(p, mb.Mini.Name, blue, false, mb.Mini.Rows, mb.Mini.Excess); err != nil {
		return err
	}
	p.Legend.Left = false
	return savePNG(file, 16*vg.Centimeter, 11*vg.Centimeter, p)
}
