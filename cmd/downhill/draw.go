package main

import (
	"fmt"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// fgrid is a function sampled on a regular grid, for contour lines.
type fgrid struct {
	x0, x1, y0, y1 float64
	n              int
	z              []float64
}

func (g *fgrid) Dims() (int, int)   { return g.n, g.n }
func (g *fgrid) Z(c, r int) float64 { return g.z[r*g.n+c] }
func (g *fgrid) X(c int) float64    { return g.x0 + (g.x1-g.x0)*float64(c)/float64(g.n-1) }
func (g *fgrid) Y(r int) float64    { return g.y0 + (g.y1-g.y0)*float64(r)/float64(g.n-1) }

type onePalette struct{ c color.Color }

func (p onePalette) Colors() []color.Color { return []color.Color{p.c, p.c} }

// addContours draws the level sets f = levels over [x0,x1] x [y0,y1].
func addContours(p *plot.Plot, f func(x, y float64) float64, x0, x1, y0, y1 float64, levels ...float64) {
	g := &fgrid{x0: x0, x1: x1, y0: y0, y1: y1, n: 120}
	g.z = make([]float64, g.n*g.n)
	for r := range g.n {
		for c := range g.n {
			g.z[r*g.n+c] = f(g.X(c), g.Y(r))
		}
	}
	ct := plotter.NewContour(g, levels, onePalette{color.RGBA{R: 190, G: 190, B: 200, A: 255}})
	ct.LineStyles = []draw.LineStyle{{Color: color.Black, Width: vg.Points(0.7)}}
	p.Add(ct)
}

// addPath draws the iterates as a line with a dot on each.
func addPath(p *plot.Plot, name string, c color.Color, path [][]float64) error {
	_, err := drawPath(p, name, c, path)
	return err
}

// drawPath is addPath returning the legend thumbnails of the path.
func drawPath(p *plot.Plot, name string, c color.Color, path [][]float64) ([]plot.Thumbnailer, error) {
	pts := make(plotter.XYs, len(path))
	for i, q := range path {
		pts[i].X, pts[i].Y = q[0], q[1]
	}
	l, s, err := plotter.NewLinePoints(pts)
	if err != nil {
		return nil, err
	}
	l.Color, l.Width = c, vg.Points(1.3)
	s.Color, s.Radius, s.Shape = c, vg.Points(1.8), draw.CircleGlyph{}
	p.Add(l, s)
	if name != "" {
		p.Legend.Add(name, l, s)
	}
	return []plot.Thumbnailer{l, s}, nil
}

// addDots draws points without lines.
func addDots(p *plot.Plot, name string, c color.Color, path [][]float64) error {
	pts := make(plotter.XYs, len(path))
	for i, q := range path {
		pts[i].X, pts[i].Y = q[0], q[1]
	}
	s, err := plotter.NewScatter(pts)
	if err != nil {
		return err
	}
	s.Color, s.Radius, s.Shape = c, vg.Points(1.2), draw.CircleGlyph{}
	p.Add(s)
	if name != "" {
		p.Legend.Add(name, s)
	}
	return nil
}

// addStar marks the minimum.
func addStar(p *plot.Plot, name string, at []float64) error {
	s, err := plotter.NewScatter(plotter.XYs{{X: at[0], Y: at[1]}})
	if err != nil {
		return err
	}
	s.Color, s.Radius, s.Shape = color.Black, vg.Points(5), draw.CrossGlyph{}
	p.Add(s)
	if name != "" {
		p.Legend.Add(name, s)
	}
	return nil
}

func setLog(a *plot.Axis) {
	a.Scale = plot.LogScale{}
	a.Tick.Marker = decades{}
}

// decades are log-scale ticks labelled 1e-06, 0.001, 1, 1000 ... at every
// power of ten, with unlabelled minor ticks in between. Over more than 14
// powers of ten only every few are labelled, and there are no minor ticks;
// over two or fewer, 2, 3 and 5 times each power are labelled too.
type decades struct{}

func (decades) Ticks(lo, hi float64) []plot.Tick {
	var ticks []plot.Tick
	e0, e1 := int(math.Floor(math.Log10(lo))), int(math.Ceil(math.Log10(hi)))
	every := 1
	if n := e1 - e0; n > 14 {
		every = (n + 7) / 8
	}
	for e := e0; e <= e1; e++ {
		v := math.Pow10(e)
		if every > 1 {
			if v >= lo && v <= hi {
				t := plot.Tick{Value: v}
				if e%every == 0 {
					t.Label = fmt.Sprintf("1e%+03d", e)
				}
				ticks = append(ticks, t)
			}
			continue
		}
		if v >= lo && v <= hi {
			ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'g', -1, 64)})
		}
		for i := 2; i < 10; i++ {
			if m := float64(i) * v; m >= lo && m <= hi {
				t := plot.Tick{Value: m}
				if e1-e0 <= 2 && (i == 2 || i == 3 || i == 5) { // few decades: label more
					t.Label = strconv.FormatFloat(m, 'g', 6, 64)
				}
				ticks = append(ticks, t)
			}
		}
	}
	return ticks
}

// positive keeps the points whose y is > 0 (and finite): a log axis cannot
// show the others. Nothing is clamped: a point that cannot be drawn is
// left out, and the JSON output still reports its value.
func positive(xs, ys []float64) (px, py []float64) {
	for i, y := range ys {
		if y > 0 && !math.IsInf(y, 0) {
			px, py = append(px, xs[i]), append(py, y)
		}
	}
	return px, py
}

// addLogLine is addLine for a log y axis: it draws the positive points.
func addLogLine(p *plot.Plot, name string, c color.Color, dashed bool, xs, ys []float64) error {
	px, py := positive(xs, ys)
	if len(px) == 0 {
		return nil
	}
	return addLine(p, name, c, dashed, px, py)
}
