package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/downhill-go/downhill"
	"github.com/downhill-go/downhill/dispatch"
)

// benchRows is the number of gradient rows (the mini-batch) that SumRows
// and BatchMomentumStep reduce in the quick benchmark.
const benchRows = 8

var benchKernels = []string{"Axpy", "Axpby", "Scale", "Dot", "SumRows", "MomentumStep", "BatchMomentumStep"}

func benchCommand() command {
	var (
		types   string
		sizes   string
		minTime time.Duration
		samples int
		asJSON  bool
	)
	return command{
		name:    "bench",
		args:    "[flags]",
		summary: "a quick GB/s table of every kernel on every available path",
		detail: `Measures the memory traffic (GB/s) of every kernel on every kernel path
this CPU can run, next to the generic (pure Go) path, at a few vector
sizes: 4 KiB per vector (L1), 256 KiB (L2) and 16 MiB (DRAM on most
machines). SumRows and BatchMomentumStep reduce 8 rows.

Each cell is the median of -samples timings of -time each; a cell whose
samples spread by more than 10% of the median is marked with * (another
program was busy: rerun it). With the defaults it took 43 seconds on a
2-core AMD EPYC Zen 3 shared with other jobs (avx2 and generic paths,
load average 18); go test -bench in bench/ is the thorough version.`,
		setup: func(fs *flag.FlagSet) func(*env) error {
			fs.StringVar(&types, "type", "float32,float64", "element types to measure: float32, float64 or both (comma-separated)")
			fs.StringVar(&sizes, "sizes", "4KiB,256KiB,16MiB", "bytes per vector, comma-separated (KiB, MiB suffixes)")
			fs.DurationVar(&minTime, "time", 20*time.Millisecond, "measuring time of one sample")
			fs.IntVar(&samples, "samples", 5, "samples per kernel, type, size and path; the median is shown")
			fs.BoolVar(&asJSON, "json", false, "print the results as one JSON object")
			return func(e *env) error {
				ts, err := parseTypes(types)
				if err != nil {
					return usageError{err.Error()}
				}
				bs, err := parseSizes(sizes)
				if err != nil {
					return usageError{err.Error()}
				}
				if minTime <= 0 || minTime > 10*time.Second {
					return usagef("-time %v: want more than 0 and at most 10s", minTime)
				}
				if samples < 1 || samples > 100 {
					return usagef("-samples %d: want 1 to 100", samples)
				}
				return runBench(e, ts, bs, minTime, samples, asJSON)
			}
		},
	}
}

func parseTypes(s string) ([]string, error) {
	var out []string
	for _, t := range strings.Split(s, ",") {
		switch t = strings.TrimSpace(t); t {
		case "float32", "float64":
			out = append(out, t)
		default:
			return nil, fmt.Errorf("-type: unknown element type %q (want float32 or float64)", t)
		}
	}
	return out, nil
}

func parseSizes(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		mult := 1
		num := f
		switch {
		case strings.HasSuffix(f, "KiB"):
			mult, num = 1<<10, strings.TrimSuffix(f, "KiB")
		case strings.HasSuffix(f, "MiB"):
			mult, num = 1<<20, strings.TrimSuffix(f, "MiB")
		case strings.HasSuffix(f, "B"):
			num = strings.TrimSuffix(f, "B")
		}
		n, err := strconv.Atoi(num)
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("-sizes: bad size %q (want e.g. 4KiB, 1MiB, 512B)", f)
		}
		if n > 256<<20 || n*mult < 64 || n*mult > 256<<20 {
			return nil, fmt.Errorf("-sizes: size %q out of range (64B to 256MiB)", f)
		}
		out = append(out, n*mult)
	}
	return out, nil
}

// benchResult is one cell of the table: the median of Samples timings.
type benchResult struct {
	Kernel  string  `json:"kernel"`
	Type    string  `json:"type"`
	Bytes   int     `json:"bytes_per_vector"`
	Path    string  `json:"path"`
	GBs     float64 `json:"gb_per_s"` // median
	Samples int     `json:"samples"`
	Spread  float64 `json:"spread"` // (max-min)/median of the samples
	Noisy   bool    `json:"noisy"`  // Spread > noisySpread
}

// noisySpread is the spread of a cell's samples above which the cell is
// flagged: on a quiet machine they agree within a few percent.
const noisySpread = 0.10

// medianSpread returns the median of gbs (which it sorts) and the spread
// (max-min)/median.
func medianSpread(gbs []float64) (median, spread float64) {
	slices.Sort(gbs)
	n := len(gbs)
	median = gbs[n/2]
	if n%2 == 0 {
		median = (gbs[n/2-1] + gbs[n/2]) / 2
	}
	return median, (gbs[n-1] - gbs[0]) / median
}

func runBench(e *env, types []string, sizes []int, minTime time.Duration, samples int, asJSON bool) error {
	paths := dispatch.Available()
	var results []benchResult
	for _, t := range types {
		for _, k := range benchKernels {
			for _, size := range sizes {
				for _, p := range paths {
					var gbs []float64
					var err error
					if t == "float32" {
						gbs, err = measure[float32](k, p, size/4, minTime, samples)
					} else {
						gbs, err = measure[float64](k, p, size/8, minTime, samples)
					}
					if err != nil {
						return err
					}
					m, spread := medianSpread(gbs)
					results = append(results, benchResult{k, t, size, p.String(), m, samples, spread, spread > noisySpread})
				}
			}
		}
	}
	if asJSON {
		enc := json.NewEncoder(e.out)
		return enc.Encode(map[string]any{"active": dispatch.Active().String(), "results": results})
	}
	return printBench(e.out, paths, results)
}

func printBench(w io.Writer, paths []dispatch.Path, results []benchResult) error {
	fmt.Fprintf(w, "GB/s of memory traffic, active path %s (%s)\n\n", dispatch.Active(), dispatch.Why())
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := "kernel\ttype\tvector\t"
	for _, p := range paths {
		head += p.String() + "\t"
	}
	for _, p := range paths[1:] {
		head += p.String() + "/generic\t"
	}
	fmt.Fprintln(tw, head)
	noisy := 0
	mark := func(x benchResult) string {
		if x.Noisy {
			noisy++
			return "*"
		}
		return " "
	}
	for i := 0; i < len(results); i += len(paths) {
		r := results[i : i+len(paths)]
		line := fmt.Sprintf("%s\t%s\t%s\t", r[0].Kernel, r[0].Type, sizeName(r[0].Bytes))
		for _, x := range r {
			line += fmt.Sprintf("%.1f%s\t", x.GBs, mark(x))
		}
		for _, x := range r[1:] {
			line += fmt.Sprintf("%.2fx\t", x.GBs/r[0].GBs)
		}
		fmt.Fprintln(tw, line)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if noisy > 0 {
		fmt.Fprintf(w, "\n* %d cells whose samples spread by more than %.0f%% of their median: the machine was busy; rerun them, or raise -samples or -time\n", noisy, 100*noisySpread)
	}
	return nil
}

func sizeName(b int) string {
	switch {
	case b >= 1<<20 && b%(1<<20) == 0:
		return fmt.Sprintf("%dMiB", b>>20)
	case b >= 1<<10 && b%(1<<10) == 0:
		return fmt.Sprintf("%dKiB", b>>10)
	}
	return fmt.Sprintf("%dB", b)
}

// measure returns samples measurements of the GB/s of kernel on path p
// with vectors of n elements, each timed for at least minTime, after a
// warm-up that finds how many calls that takes.
func measure[F downhill.Float](kernel string, p dispatch.Path, n int, minTime time.Duration, samples int) ([]float64, error) {
	k, err := downhill.On[F](p)
	if err != nil {
		return nil, err
	}
	x, y, v := filled[F](n, 1), filled[F](n, 2), filled[F](n, 3)
	var rows []F
	if kernel == "SumRows" || kernel == "BatchMomentumStep" {
		rows = filled[F](n*benchRows, 4)
	}
	h := downhill.Momentum[F]{LR: 1e-6, Mu: 0.9}
	var sink F
	var call func()
	var traffic int // elements read or written per call
	switch kernel {
	case "Axpy":
		call, traffic = func() { k.Axpy(1e-7, x, y) }, 3*n
	case "Axpby":
		call, traffic = func() { k.Axpby(1e-7, x, 1, y) }, 3*n
	case "Scale":
		call, traffic = func() { k.Scale(1, x) }, 2*n
	case "Dot":
		call, traffic = func() { sink += k.Dot(x, y) }, 2*n
	case "SumRows":
		call, traffic = func() { k.SumRows(y, 1, rows) }, (benchRows+1)*n
	case "MomentumStep":
		call, traffic = func() { k.MomentumStep(x, y, v, h) }, 5*n
	case "BatchMomentumStep":
		call, traffic = func() { k.BatchMomentumStep(x, v, rows, 1, h) }, (benchRows+4)*n
	default:
		return nil, fmt.Errorf("unknown kernel %s", kernel)
	}
	call()
	var zero F
	bytes := float64(traffic) * float64(sizeOf(zero))
	timed := func(calls int) time.Duration {
		start := time.Now()
		for range calls {
			call()
		}
		return time.Since(start)
	}
	calls := 1
	for {
		d := timed(calls)
		if d >= minTime {
			gbs := make([]float64, samples)
			gbs[0] = bytes * float64(calls) / d.Seconds() / 1e9
			for i := 1; i < samples; i++ {
				gbs[i] = bytes * float64(calls) / timed(calls).Seconds() / 1e9
			}
			_ = sink
			return gbs, nil
		}
		// Aim for minTime with some margin, at most 100x per round.
		next := calls * 100
		if d > 0 {
			next = min(next, int(float64(calls)*1.2*float64(minTime)/float64(d))+1)
		}
		calls = max(next, calls+1)
	}
}

func filled[F downhill.Float](n int, seed int) []F {
	s := make([]F, n)
	for i := range s {
		s[i] = F(1 + float64((i*7+seed)%13)/64)
	}
	return s
}

func sizeOf[F downhill.Float](F) int {
	var z F
	switch any(z).(type) {
	case float32:
		return 4
	}
	return 8
}
