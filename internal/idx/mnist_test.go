package idx

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeMNIST writes a tiny synthetic MNIST-shaped data set to dir: n
// training and m test images of 4x3 pixels.
func writeMNIST(t *testing.T, dir string, n, m int, zip bool) {
	t.Helper()
	put := func(name string, a *Array) {
		b := encode(t, a)
		if zip {
			b, name = gz(t, b), name+".gz"
		}
		writeFile(t, dir, name, b)
	}
	for _, s := range []struct {
		images, labels string
		n              int
	}{{TrainImages, TrainLabels, n}, {TestImages, TestLabels, m}} {
		img := &Array{Dims: []int{s.n, 4, 3}, Data: make([]byte, s.n*12)}
		lbl := &Array{Dims: []int{s.n}, Data: make([]byte, s.n)}
		for i := range img.Data {
			img.Data[i] = byte(i)
		}
		for i := range lbl.Data {
			lbl.Data[i] = byte(i % 10)
		}
		put(s.images, img)
		put(s.labels, lbl)
	}
}

func TestLoadMNIST(t *testing.T) {
	for _, zip := range []bool{false, true} {
		dir := t.TempDir()
		writeMNIST(t, dir, 20, 7, zip)
		if !HasMNIST(dir) {
			t.Fatal("HasMNIST = false")
		}
		train, test, err := LoadMNIST(dir)
		if err != nil {
			t.Fatal(err)
		}
		if train.N != 20 || test.N != 7 || train.Rows != 4 || train.Cols != 3 || train.Pixels() != 12 {
			t.Fatalf("train %d %dx%d, test %d", train.N, train.Rows, train.Cols, test.N)
		}
		if len(train.Images) != 240 || train.Labels[13] != 3 || test.Images[11] != 11 {
			t.Fatal("wrong contents")
		}
	}
}

func TestLoadMNISTErrors(t *testing.T) {
	dir := t.TempDir()
	_, _, err := LoadMNIST(dir)
	if err == nil || !strings.Contains(err.Error(), TrainImages) {
		t.Fatalf("empty dir: error %v, want it to name %s", err, TrainImages)
	}

	writeMNIST(t, dir, 5, 5, false)
	writeFile(t, dir, TestLabels, encode(t, &Array{Dims: []int{4}, Data: make([]byte, 4)}))
	if _, _, err := LoadMNIST(dir); err == nil || !strings.Contains(err.Error(), "4 labels") {
		t.Errorf("label count mismatch: error %v", err)
	}
	writeFile(t, dir, TestLabels, encode(t, &Array{Dims: []int{5}, Data: []byte{1, 2, 10, 3, 4}}))
	if _, _, err := LoadMNIST(dir); err == nil || !strings.Contains(err.Error(), "not a digit") {
		t.Errorf("label 10: error %v", err)
	}
	writeFile(t, dir, TestLabels, encode(t, &Array{Dims: []int{5}, Data: make([]byte, 5)}))
	writeFile(t, dir, TestImages, encode(t, &Array{Dims: []int{5, 12}, Data: make([]byte, 60)}))
	if _, _, err := LoadMNIST(dir); err == nil || !strings.Contains(err.Error(), "want [images rows cols]") {
		t.Errorf("2-d images: error %v", err)
	}
	writeFile(t, dir, TestImages, encode(t, &Array{Dims: []int{5, 3, 4}, Data: make([]byte, 60)}))
	if _, _, err := LoadMNIST(dir); err == nil || !strings.Contains(err.Error(), "4x3") {
		t.Errorf("shape mismatch: error %v", err)
	}
	writeFile(t, dir, TestImages, []byte("hello, world"))
	if _, _, err := LoadMNIST(dir); err == nil || !strings.Contains(err.Error(), "not an IDX file") {
		t.Errorf("corrupt file: error %v", err)
	}
}

// TestFindMNISTNotFound: with no module cache and no go command, the
// error lists where it looked and says how to fix it.
func TestFindMNISTNotFound(t *testing.T) {
	empty := t.TempDir()
	t.Setenv("GOMODCACHE", filepath.Join(empty, "modcache"))
	t.Setenv("GOPATH", filepath.Join(empty, "gopath"))
	t.Setenv("HOME", empty)
	t.Setenv("PATH", empty)
	_, err := FindMNIST(nil)
	if err == nil {
		t.Fatal("found MNIST in an empty environment")
	}
	for _, want := range []string{"modcache", "go mod download", "--data DIR", "not in PATH", TrainImages} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %q:\n%v", want, err)
		}
	}
}

// TestFindMNISTCache finds the data in a module cache laid out as the go
// command lays it out.
func TestFindMNISTCache(t *testing.T) {
	cache := t.TempDir()
	dir := filepath.Join(cache, "github.com", "petar", "!go!m!n!i!s!t@"+GoMNISTVersion, "data")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	writeMNIST(t, dir, 3, 3, true)
	t.Setenv("GOMODCACHE", cache)
	got, err := FindMNIST(func(string, ...any) { t.Error("tried to download") })
	if err != nil {
		t.Fatal(err)
	}
	if got != dir {
		t.Fatalf("found %s, want %s", got, dir)
	}
}

// TestRealMNIST reads the real test split when the module cache has it.
func TestRealMNIST(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	var dir string
	for _, c := range modCaches() {
		d := filepath.Join(c, escapePath(GoMNISTModule)+"@"+GoMNISTVersion, "data")
		if HasMNIST(d) {
			dir = d
		}
	}
	if dir == "" {
		t.Skip("GoMNIST is not in the module cache")
	}
	s, err := loadSet(dir, TestImages, TestLabels, Shape{Rows: 28, Cols: 28})
	if err != nil {
		t.Fatal(err)
	}
	if s.N != 10000 || s.Rows != 28 || s.Cols != 28 {
		t.Fatalf("test split: %d images of %dx%d", s.N, s.Rows, s.Cols)
	}
}
