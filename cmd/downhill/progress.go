package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
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
		return newBarReporter(w, total)
	}
	return &lineReporter{w: w}
}

type nopReporter struct{}

func (nopReporter) examples(int64)   {}
func (nopReporter) point(trainPoint) {}
func (nopReporter) done()            {}

// lineReporter prints one line per logged point.
type lineReporter struct{ w io.Writer }

func (r *lineReporter) examples(int64) {}
func (r *lineReporter) point(p trainPoint) {
	if p.Epoch == 0 {
		fmt.Fprintf(r.w, "start       loss %.4f  test accuracy %.2f%%\n", p.Loss, 100*p.Accuracy)
		return
	}
	fmt.Fprintln(r.w, p)
}
func (r *lineReporter) done() {}

// barReporter drives a progress bar over the examples of the run, with
// the last epoch's loss and accuracy in its description and examples/s
// computed by the bar.
type barReporter struct {
	mu  sync.Mutex
	bar *progressbar.ProgressBar
	w   io.Writer
}

func newBarReporter(w io.Writer, total int64) *barReporter {
	bar := progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription("training"),
		progressbar.OptionSetWidth(28),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("examples"),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionShowDescriptionAtLineEnd(),
		progressbar.OptionClearOnFinish(),
	)
	return &barReporter{bar: bar, w: w}
}

func (r *barReporter) examples(n int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	_ = r.bar.Set64(min(n, r.bar.GetMax64()))
}

func (r *barReporter) point(p trainPoint) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if p.Epoch == 0 {
		r.bar.Describe(fmt.Sprintf("start: loss %.4f acc %.2f%%", p.Loss, 100*p.Accuracy))
	} else {
		r.bar.Describe(fmt.Sprintf("epoch %d/%d: loss %.4f acc %.2f%%", p.Epoch, p.Epochs, p.Loss, 100*p.Accuracy))
	}
	if p.Epoch > 0 {
		// Keep a line per epoch above the bar.
		_ = r.bar.Clear()
		fmt.Fprintln(r.w, p)
		_ = r.bar.RenderBlank()
	}
}

func (r *barReporter) done() {
	r.mu.Lock()
	defer r.mu.Unlock()
	_ = r.bar.Finish()
}
