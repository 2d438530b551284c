// Command downhill trains softmax regression on MNIST with downhill's
// kernels, draws the quadratic-bowl pictures of gradient descent, reports
// which kernel path this CPU runs, and measures every path.
//
//	downhill train [flags]     softmax regression on MNIST
//	downhill bowl [flags]      the quadratic-bowl pictures (PNG)
//	downhill basins [flags]    noise as a regulariser: sharp vs flat basins
//	downhill batchsize [flags] batch size on MNIST: speed, loss, variance
//	downhill warmup [flags]    learning-rate warmup on a two-layer network
//	downhill cpu               the CPU and kernel-path report
//	downhill bench [flags]     GB/s of every kernel on every available path
//	downhill help [command]    usage
//
// Run `downhill help COMMAND` for the flags of a command.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// command is one subcommand. setup declares its flags on fs and returns
// the function that runs it once the flags are parsed.
type command struct {
	name, args, summary, detail string
	setup                       func(fs *flag.FlagSet) func(env *env) error
}

// env is what a command writes to: its result to out, progress and
// diagnostics to errw.
type env struct {
	out, errw io.Writer
}

// usageError is a mistake in the command line: exit status 2 and the
// command's usage.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

func commands() []command {
	return []command{trainCommand(), bowlCommand(), basinsCommand(), batchSizeCommand(), warmupCommand(), cpuCommand(), benchCommand()}
}

func lookup(name string) (command, bool) {
	for _, c := range commands() {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// run runs the command line args and returns the exit status: 0 on
// success, 1 when the command failed, 2 for a bad command line.
func run(args []string, out, errw io.Writer) int {
	if len(args) == 0 {
		mainUsage(errw)
		return 2
	}
	name := args[0]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 && name == "help" {
			c, ok := lookup(args[1])
			if !ok {
				fmt.Fprintf(errw, "downhill help: unknown command %q\n\n", args[1])
				mainUsage(errw)
				return 2
			}
			fs := flagSet(c, io.Discard)
			c.setup(fs)
			commandUsage(out, c, fs)
			return 0
		}
		mainUsage(out)
		return 0
	}
	c, ok := lookup(name)
	if !ok {
		fmt.Fprintf(errw, "downhill: unknown command %q\n\n", name)
		mainUsage(errw)
		return 2
	}
	fs := flagSet(c, errw)
	runFn := c.setup(fs)
	fs.Usage = func() { commandUsage(errw, c, fs) }
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2 // the flag package has printed the error and the usage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(errw, "downhill %s: unexpected argument %q\n", c.name, fs.Arg(0))
		fs.Usage()
		return 2
	}
	err := runFn(&env{out: out, errw: errw})
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(errw, "downhill %s: %v\n", c.name, err)
		fs.Usage()
		return 2
	default:
		fmt.Fprintf(errw, "downhill %s: %v\n", c.name, err)
		return 1
	}
}

func flagSet(c command, errw io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("downhill "+c.name, flag.ContinueOnError)
	fs.SetOutput(errw)
	return fs
}

func mainUsage(w io.Writer) {
	fmt.Fprintf(w, "downhill: mini-batch gradient descent on hand-written SIMD kernels\n\nusage:\n")
	for _, c := range commands() {
		fmt.Fprintf(w, "  downhill %-28s %s\n", strings.TrimSpace(c.name+" "+c.args), c.summary)
	}
	fmt.Fprintf(w, "  downhill %-28s %s\n", "help [command]", "this text, or the flags of a command")
	fmt.Fprintf(w, "\nExample: go run ./cmd/downhill train\n")
}

func commandUsage(w io.Writer, c command, fs *flag.FlagSet) {
	fmt.Fprintf(w, "usage: downhill %s\n\n%s\n", strings.TrimSpace(c.name+" "+c.args), c.detail)
	has := false
	fs.VisitAll(func(*flag.Flag) { has = true })
	if has {
		fmt.Fprintf(w, "\nflags:\n")
		fs.SetOutput(w)
		fs.PrintDefaults()
	}
}
