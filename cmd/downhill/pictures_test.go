package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBowlNoOut: without -out, bowl writes no file, not even into the
// current directory, and lists no pictures.
func TestBowlNoOut(t *testing.T) {
	if testing.Short() {
		t.Skip("short: bowl runs four experiments")
	}
	dir := t.TempDir()
	t.Chdir(dir)
	code, stdout, errw := runCmd(t, "bowl", "-json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errw)
	}
	if strings.Contains(stdout, "pictures") {
		t.Errorf("-json without -out lists pictures: %s", stdout)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("bowl without -out wrote %d files into the current directory", len(entries))
	}
}

// TestBowlReproducible: two runs write the same bytes (no clock in any
// picture), so regenerating docs/ leaves git status clean.
func TestBowlReproducible(t *testing.T) {
	if testing.Short() {
		t.Skip("short: bowl runs four experiments twice")
	}
	a, b := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")
	for _, dir := range []string{a, b} {
		if code, _, errw := runCmd(t, "bowl", "-out", dir); code != 0 {
			t.Fatalf("exit %d: %s", code, errw)
		}
	}
	sameFiles(t, a, b, 4)
}

// sameFiles checks that dirs a and b hold the same n files, byte for byte.
func sameFiles(t *testing.T, a, b string, n int) {
	t.Helper()
	entries, err := os.ReadDir(a)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != n {
		t.Errorf("%s holds %d files, want %d", a, len(entries), n)
	}
	for _, e := range entries {
		x, err := os.ReadFile(filepath.Join(a, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		y, err := os.ReadFile(filepath.Join(b, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs", e.Name())
		}
	}
}

// TestWarmupJSON: warmup -json prints the counts (null for the loss of
// the diverged run) and, without -out, writes nothing.
func TestWarmupJSON(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	code, stdout, errw := runCmd(t, "warmup", "-json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errw)
	}
	var res struct {
		ColdLoss *float64 `json:"no_warmup_final_loss"`
		Diverged bool     `json:"no_warmup_diverged"`
		NoWarmup []struct {
			Peak     float64 `json:"peak_lr"`
			Diverged int     `json:"diverged"`
		} `json:"no_warmup"`
		Pictures []string `json:"pictures"`
	}
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	if res.ColdLoss != nil || !res.Diverged || len(res.NoWarmup) == 0 || len(res.Pictures) != 0 {
		t.Errorf("unexpected report: %s", stdout)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("warmup without -out wrote %d files", len(entries))
	}
	// Two runs draw the same bytes (the contour levels avoid the saddle,
	// where gonum's drawing order varies from run to run).
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	for _, out := range []string{a, b, a, b} {
		if code, _, errw := runCmd(t, "warmup", "-out", out); code != 0 {
			t.Fatalf("exit %d: %s", code, errw)
		}
		sameFiles(t, a, out, 1)
	}
}

func TestBatchSizeUsage(t *testing.T) {
	if code, _, errw := runCmd(t, "batchsize", "-examples", "100"); code != 2 || !strings.Contains(errw, "-examples 100") {
		t.Errorf("exit %d: %s", code, errw)
	}
}
