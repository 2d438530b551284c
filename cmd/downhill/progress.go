package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"
)

// reporter shows the progress of a training run: a progress bar on a
// terminal, one plain line per epoch otherwise.
type reporter interface {
	// examples is called often (from a ticker) with the number of
	// gradient rows computed so far in this run.
	examples(n int64)
	// point is called at the end of every epoch.
	point(p trainPoint)
	// done ends the display.
	done()
}

// trainPoint is one logged point of the training run.
type trainPoint struct {
	Epoch          int     `json:"epoch"`
	Epochs         int     `json:"-"`
	First          bool    `json:"-"` // the run's first point (before its first step)
	Loss           float64 `json:"train_loss"`
	Accuracy       float64 `json:"test_accuracy"`
	ExamplesPerSec float64 `json:"examples_per_second"`
	Seconds        float64 `json:"seconds"`
}

func (p trainPoint) String() string {
	return fmt.Sprintf("epoch %d/%d  loss %.4f  test accuracy %.2f%%  %.0f examples/s  %.1fs",
		p.Epoch, p.Epochs, p.Loss, 100*p.Accuracy, p.ExamplesPerSec, p.Seconds)
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func newReporter(w io.Writer, total int64, quiet bool) reporter {
	switch {
	case quiet:
		return nopReporter{}
	case isTerminal(w):
		return newBarReporter(w.(*os.File), total)
	}
	return &lineReporter{w: w}
}

type nopReporter struct{}

func (nopReporter) examples(int64)   {}
func (nopReporter) point(trainPoint) {}
func (nopReporter) done()            {}

// lineReporter prints one line per logged point.
type lineReporter struct{ w io.Writer }

// startLine describes the first point of a run: the start of training,
// or the point a resumed run continues from (which has no speed yet).
func (p trainPoint) startLine() string {
	if p.Epoch == 0 {
		return fmt.Sprintf("start       loss %.4f  test accuracy %.2f%%", p.Loss, 100*p.Accuracy)
	}
	return fmt.Sprintf("resumed at epoch %d/%d  loss %.4f  test accuracy %.2f%%", p.Epoch, p.Epochs, p.Loss, 100*p.Accuracy)
}

func (r *lineReporter) examples(int64) {}
func (r *lineReporter) point(p trainPoint) {
	if p.First {
		fmt.Fprintln(r.w, p.startLine())
		return
	}
	fmt.Fprintln(r.w, p)
}
func (r *lineReporter) done() {}

// barReporter draws a progress bar over the examples of the run on the
// last line of a terminal, sized to the terminal's width at every redraw,
// with a line per epoch printed above it.
type barReporter struct {
	mu    sync.Mutex
	f     *os.File
	total int64
	n     int64
	start time.Time
	last  string // the last point, shown at the end of the bar if it fits
}

func newBarReporter(f *os.File, total int64) *barReporter {
	return &barReporter{f: f, total: total, start: time.Now()}
}

func (r *barReporter) examples(n int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.n = min(n, r.total)
	r.draw()
}

func (r *barReporter) point(p trainPoint) {
	r.mu.Lock()
	defer r.mu.Unlock()
	fmt.Fprint(r.f, "\r\x1b[K") // clear the bar's line
	if p.First {
		fmt.Fprintln(r.f, p.startLine())
	} else {
		fmt.Fprintln(r.f, p)
	}
	r.last = fmt.Sprintf("epoch %d/%d  loss %.4f  acc %.2f%%", p.Epoch, p.Epochs, p.Loss, 100*p.Accuracy)
	if p.Epoch == 0 {
		r.last = fmt.Sprintf("start  loss %.4f  acc %.2f%%", p.Loss, 100*p.Accuracy)
	}
	r.draw()
}

func (r *barReporter) done() {
	r.mu.Lock()
	defer r.mu.Unlock()
	fmt.Fprint(r.f, "\r\x1b[K")
}

func (r *barReporter) draw() {
	width, _, err := term.GetSize(int(r.f.Fd()))
	if err != nil || width <= 0 {
		width = 80
	}
	fmt.Fprint(r.f, "\r"+barLine(width, r.n, r.total, time.Since(r.start), r.last)+"\x1b[K")
}

// Bar widths: the bar takes what the other pieces leave, within these.
const (
	minBarCells = 10
	maxBarCells = 40
)

// barLine renders the progress bar for a terminal of width columns, in at
// most width-1 columns (so that it never wraps): the percentage, the bar,
// the time left, the speed and last, the last logged point. When they do
// not all fit next to a bar of minBarCells, the least useful go first:
// last (also printed above the bar), then the speed, then the time left.
func barLine(width int, done, total int64, elapsed time.Duration, last string) string {
	frac := 0.0
	if total > 0 {
		frac = min(1, float64(done)/float64(total))
	}
	var opt []string // most useful first
	if done > 0 && done < total && elapsed > 0 {
		left := time.Duration(float64(elapsed) * float64(total-done) / float64(done)).Round(time.Second)
		opt = append(opt, left.String()+" left")
	}
	if done > 0 && elapsed > 0 {
		opt = append(opt, fmt.Sprintf("%.0f examples/s", float64(done)/elapsed.Seconds()))
	}
	if last != "" {
		opt = append(opt, " "+last)
	}
	pct := fmt.Sprintf("%3.0f%%", 100*frac)
	fixed := func() int {
		n := len(pct) + 3 // "NN% |" + "|"
		for _, o := range opt {
			n += 1 + len(o)
		}
		return n
	}
	for len(opt) > 0 && fixed()+minBarCells > width-1 {
		opt = opt[:len(opt)-1]
	}
	cells := max(1, min(maxBarCells, width-1-fixed()))
	full := int(frac * float64(cells))
	var b strings.Builder
	b.WriteString(pct + " |" + strings.Repeat("█", full) + strings.Repeat("░", cells-full) + "|")
	for _, o := range opt {
		b.WriteString(" " + o)
	}
	return b.String()
}
