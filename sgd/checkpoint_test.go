package sgd

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func sampleCheckpoint() *Checkpoint[float32] {
	return &Checkpoint[float32]{
		Params: []float32{1, -2.5, 3e-39, 0}, Velocity: []float32{0.5, 0, -1, 7},
		Steps: 12, LRScale: 0.25, Sampler: SamplerState{Epoch: 3, Pos: 2},
		Examples: 10, Batch: 3, DropLast: true, Seed: 99,
	}
}

func encode[F Float](t testing.TB, c *Checkpoint[F]) []byte {
	var buf bytes.Buffer
	if err := WriteCheckpoint(&buf, c); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestCheckpointRoundTrip(t *testing.T) {
	c := sampleCheckpoint()
	b := encode(t, c)
	got, err := ReadCheckpoint[float32](bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := sameBits(got.Params, c.Params); !ok || !bytes.Equal(encode(t, got), b) {
		t.Errorf("round trip changed the checkpoint: %+v -> %+v", c, got)
	}
	if got.Steps != 12 || got.LRScale != 0.25 || got.Sampler != c.Sampler || !got.DropLast || got.Seed != 99 || got.Fresh {
		t.Errorf("fields lost: %+v", got)
	}
	// No velocity stays nil.
	c.Velocity = nil
	got, err = ReadCheckpoint[float32](bytes.NewReader(encode(t, c)))
	if err != nil || got.Velocity != nil {
		t.Errorf("checkpoint without velocity: %v, %v", got, err)
	}
}

func TestCheckpointBadFiles(t *testing.T) {
	good := encode(t, sampleCheckpoint())
	flip := func(i int) []byte {
		b := bytes.Clone(good)
		b[i] ^= 0x10
		return b
	}
	versioned := bytes.Clone(good)
	versioned[8] = 3
	for name, c := range map[string]struct {
		data []byte
		want string
	}{
		"empty":          {nil, "truncated"},
		"foreign":        {[]byte("PK\x03\x04 a zip file, not ours at all, long enough to hold a header......."), "magic"},
		"magic prefix":   {good[:5], "truncated"},
		"header only":    {good[:headerLen], "truncated"},
		"truncated data": {good[:len(good)-40], "truncated"},
		"no checksum":    {good[:len(good)-1], "truncated"},
		"trailing":       {append(bytes.Clone(good), 0), "unexpected bytes"},
		"flipped param":  {flip(headerLen2 + 1), "checksum"},
		"flipped steps":  {flip(12), "checksum"},
		"flipped sum":    {flip(len(good) - 1), "checksum"},
		"version":        {versioned, "version 3"},
		"huge dimension": {flip(12 + 7*8 + 7), "more than a checkpoint may hold"},
		"unknown flags":  {func() []byte { b := bytes.Clone(good); b[11] |= 0x80; return b }(), "flags"},
		"bad element":    {func() []byte { b := bytes.Clone(good); b[10] = 3; return b }(), "element size"},
	} {
		_, err := ReadCheckpoint[float32](bytes.NewReader(c.data))
		if !errors.Is(err, ErrCheckpoint) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want ErrCheckpoint mentioning %q", name, err, c.want)
		}
	}
	if _, err := ReadCheckpoint[float64](bytes.NewReader(good)); err == nil || !strings.Contains(err.Error(), "float32") {
		t.Errorf("float32 file read as float64: %v", err)
	}
}

func TestSaveCheckpointAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "run.ckpt")
	c := sampleCheckpoint()
	if err := SaveCheckpoint(path, c); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	// An invalid checkpoint fails before touching the file.
	bad := sampleCheckpoint()
	bad.Velocity = bad.Velocity[:2]
	if err := SaveCheckpoint(path, bad); err == nil {
		t.Error("inconsistent checkpoint saved")
	}
	// A failing write (the directory is gone) leaves nothing behind either.
	if err := SaveCheckpoint(filepath.Join(dir, "missing", "x.ckpt"), c); err == nil {
		t.Error("save into a missing directory succeeded")
	}
	after, _ := os.ReadFile(path)
	entries, _ := os.ReadDir(dir)
	if !bytes.Equal(before, after) || len(entries) != 1 {
		t.Errorf("failed saves changed the directory: %d entries, file changed %v", len(entries), !bytes.Equal(before, after))
	}
	// A corrupted file on disk is refused with its name in the error.
	os.WriteFile(path, before[:len(before)/2], 0o644)
	if _, err := LoadCheckpoint[float32](path); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("truncated file: %v", err)
	}
	if _, err := LoadCheckpoint[float32](filepath.Join(dir, "nope")); err == nil {
		t.Error("missing file loaded")
	}
}

// TestResumeBitIdentical trains 4 epochs in one go, and 2 epochs, a
// checkpoint written by Train, a fresh process state restored from it and
// 2 more epochs: the parameters and the losses must be the same bits.
func TestResumeBitIdentical(t *testing.T) {
	x, labels := clusters[float32](500, 13, 3, 1, 21)
	prob, _ := NewSoftmaxRegression(x, labels, 13, 3, 1e-3)
	h := Hyper{LR: 0.1, Momentum: 0.9, Dampening: 0.1}
	cfg := Config{Epochs: 4, BatchSize: 32, Seed: 5, Workers: 2, Schedule: Cosine(1, 0.1, 40), FullLoss: true}

	p1 := make([]float32, prob.Dim())
	o1, _ := NewOptimizer[float32](prob.Dim(), h)
	h1, err := Train(context.Background(), prob, p1, o1, cfg)
	if err != nil {
		t.Fatal(err)
	}

	path := filepath.Join(t.TempDir(), "run.ckpt")
	p2 := make([]float32, prob.Dim())
	o2, _ := NewOptimizer[float32](prob.Dim(), h)
	first := cfg
	// CheckpointEvery 5 > Epochs: only the save after the last epoch happens.
	first.Epochs, first.CheckpointPath, first.CheckpointEvery = 2, path, 5
	if _, err := Train(context.Background(), prob, p2, o2, first); err != nil {
		t.Fatal(err)
	}
	ck, err := LoadCheckpoint[float32](path)
	if err != nil {
		t.Fatal(err)
	}
	p3 := make([]float32, prob.Dim())
	o3, _ := NewOptimizer[float32](prob.Dim(), h)
	rest := cfg
	if err := ck.Restore(p3, o3, &rest); err != nil {
		t.Fatal(err)
	}
	if rest.Start != (SamplerState{Epoch: 2}) || o3.Steps() != 2*16 {
		t.Fatalf("restored start %+v, steps %d", rest.Start, o3.Steps())
	}
	h3, err := Train(context.Background(), prob, p3, o3, rest)
	if err != nil {
		t.Fatal(err)
	}
	if i, ok := sameBits(p3, p1); !ok {
		t.Errorf("resumed parameters differ at %d: %v vs %v", i, p3[i], p1[i])
	}
	if h1.Final() != h3.Final() || h3.Points[0].Loss != h1.Points[2].Loss {
		t.Errorf("losses differ: uninterrupted %v, resumed %v", h1.Points, h3.Points)
	}
	// Restore refuses a mismatched run.
	for name, c := range map[string]Config{
		"seed":  {Epochs: 4, BatchSize: 32, Seed: 6},
		"batch": {Epochs: 4, BatchSize: 16, Seed: 5},
	} {
		if err := ck.Restore(p3, o3, &c); err == nil {
			t.Errorf("Restore with another %s accepted", name)
		}
	}
	oPlain, _ := NewOptimizer[float32](prob.Dim(), Hyper{LR: 0.1})
	if err := ck.Restore(p3, oPlain, &rest); err == nil {
		t.Error("Restore of a velocity into an optimizer without momentum accepted")
	}
}

func FuzzReadCheckpoint(f *testing.F) {
	good := encode(f, sampleCheckpoint())
	f.Add(good)
	f.Add(good[:len(good)-3])
	f.Add(encode(f, &Checkpoint[float64]{Params: []float64{1}, Examples: 1, Batch: 1, Fresh: true}))
	f.Fuzz(func(t *testing.T, data []byte) {
		// Also read the input with its checksum recomputed, so that the
		// fuzzer reaches the checks behind the checksum.
		if len(data) >= sha256.Size {
			n := len(data) - sha256.Size
			sum := sha256.Sum256(data[:n])
			fixed := append(bytes.Clone(data[:n]), sum[:]...)
			checkRead(t, fixed)
		}
		checkRead(t, data)
	})
}

func checkRead(t *testing.T, data []byte) {
	for _, read := range []func() ([]byte, error){
		func() ([]byte, error) {
			c, err := ReadCheckpoint[float32](bytes.NewReader(data))
			if err != nil {
				return nil, err
			}
			return encode(t, c), nil
		},
		func() ([]byte, error) {
			c, err := ReadCheckpoint[float64](bytes.NewReader(data))
			if err != nil {
				return nil, err
			}
			return encode(t, c), nil
		},
	} {
		again, err := read()
		if err != nil {
			if !errors.Is(err, ErrCheckpoint) {
				t.Fatalf("error does not wrap ErrCheckpoint: %v", err)
			}
			continue
		}
		// Whatever is accepted is a checkpoint that encodes to the same
		// bytes (a version 1 file to its version 2 form).
		if !bytes.Equal(again, upgradeV1(data)) {
			t.Fatalf("accepted input re-encodes differently")
		}
	}
}

// TestResumeAfterCancel interrupts a run mid-epoch through its context;
// Train leaves a checkpoint, and the resumed run ends on the same bits as
// an uninterrupted one.
func TestResumeAfterCancel(t *testing.T) {
	x, y := linearData[float64](300, 7, 0.3, 22)
	prob, _ := NewLeastSquares(x, y, 7)
	h := Hyper{LR: 0.02, Momentum: 0.8, Nesterov: true}
	cfg := Config{Epochs: 3, BatchSize: 16, Seed: 8, Schedule: Exponential(1, 0.99)}

	p1 := make([]float64, 7)
	o1, _ := NewOptimizer[float64](7, h)
	if _, err := Train(context.Background(), prob, p1, o1, cfg); err != nil {
		t.Fatal(err)
	}

	path := filepath.Join(t.TempDir(), "run.ckpt")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p2 := make([]float64, 7)
	o2, _ := NewOptimizer[float64](7, h)
	first := cfg
	first.CheckpointPath, first.LogEvery = path, 1
	first.Progress = func(p Progress) {
		if p.Step == 30 { // epoch 1, batch 11 of 19
			cancel()
		}
	}
	if _, err := Train(ctx, prob, p2, o2, first); !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted run: %v", err)
	}
	ck, err := LoadCheckpoint[float64](path)
	if err != nil {
		t.Fatal(err)
	}
	if ck.Steps != 30 || ck.Sampler != (SamplerState{Epoch: 1, Pos: 11}) {
		t.Fatalf("checkpoint at step %d, sampler %+v; want 30 and epoch 1 batch 11", ck.Steps, ck.Sampler)
	}
	p3 := make([]float64, 7)
	o3, _ := NewOptimizer[float64](7, h)
	rest := cfg
	if err := ck.Restore(p3, o3, &rest); err != nil {
		t.Fatal(err)
	}
	if _, err := Train(context.Background(), prob, p3, o3, rest); err != nil {
		t.Fatal(err)
	}
	if i, ok := sameBits(p3, p1); !ok {
		t.Errorf("resumed parameters differ at %d: %v vs %v", i, p3[i], p1[i])
	}
}

// upgradeV1 returns a version 1 checkpoint file in its version 2 form (no
// meta data), and any other input as it is.
func upgradeV1(b []byte) []byte {
	if len(b) < headerLen+sha256.Size || b[8] != 1 || b[9] != 0 {
		return b
	}
	out := append(bytes.Clone(b[:headerLen]), make([]byte, 8)...)
	out[8] = 2
	out = append(out, b[headerLen:len(b)-sha256.Size]...)
	sum := sha256.Sum256(out)
	return append(out, sum[:]...)
}

// downgradeV2 returns a version 2 file without meta data in the version 1
// form that downhill wrote before meta data existed.
func downgradeV2(t *testing.T, b []byte) []byte {
	if b[8] != 2 || binary.LittleEndian.Uint64(b[headerLen:]) != 0 {
		t.Fatalf("not a version 2 file without meta data")
	}
	out := bytes.Clone(b[:headerLen])
	out[8] = 1
	out = append(out, b[headerLen2:len(b)-sha256.Size]...)
	sum := sha256.Sum256(out)
	return append(out, sum[:]...)
}

// TestCheckpointMeta: the application's Meta survives a round trip, and
// a version 1 file (no meta) is still read, with the same content.
func TestCheckpointMeta(t *testing.T) {
	c := sampleCheckpoint()
	c.Meta = []byte(`{"lr":0.1}`)
	got, err := ReadCheckpoint[float32](bytes.NewReader(encode(t, c)))
	if err != nil || string(got.Meta) != string(c.Meta) {
		t.Fatalf("meta round trip: %q, %v", got.Meta, err)
	}
	c.Meta = make([]byte, MaxCheckpointMeta+1)
	if err := WriteCheckpoint(io.Discard, c); err == nil {
		t.Error("oversized meta written")
	}
	c.Meta = nil
	v2 := encode(t, c)
	v1 := downgradeV2(t, v2)
	old, err := ReadCheckpoint[float32](bytes.NewReader(v1))
	if err != nil {
		t.Fatalf("version 1 file: %v", err)
	}
	if old.Meta != nil || !bytes.Equal(encode(t, old), v2) {
		t.Errorf("version 1 file read as %+v", old)
	}
}

// TestResumeOtherData: a checkpoint restored for a problem with another
// number of examples is refused by Train before any step.
func TestResumeOtherData(t *testing.T) {
	x, labels := clusters[float32](500, 13, 3, 1, 21)
	prob, _ := NewSoftmaxRegression(x, labels, 13, 3, 1e-3)
	h := Hyper{LR: 0.1, Momentum: 0.9}
	cfg := Config{Epochs: 2, BatchSize: 32, Seed: 5}
	path := filepath.Join(t.TempDir(), "run.ckpt")
	first := cfg
	first.CheckpointPath = path
	if _, err := Train(context.Background(), prob, make([]float32, prob.Dim()), mustOpt(t, prob.Dim(), h), first); err != nil {
		t.Fatal(err)
	}
	ck, err := LoadCheckpoint[float32](path)
	if err != nil {
		t.Fatal(err)
	}
	small, _ := NewSoftmaxRegression(x[:400*13], labels[:400], 13, 3, 1e-3)
	p, o := make([]float32, prob.Dim()), mustOpt(t, prob.Dim(), h)
	rest := cfg
	rest.Epochs = 4
	if err := ck.Restore(p, o, &rest); err != nil {
		t.Fatal(err)
	}
	hist, err := Train(context.Background(), small, p, o, rest)
	if err == nil || !strings.Contains(err.Error(), "500 examples") || hist.Steps != 0 {
		t.Errorf("resume of a 500-example checkpoint on 400 examples: %d steps, error %v", hist.Steps, err)
	}
	if _, err := Train(context.Background(), prob, p, o, rest); err != nil {
		t.Errorf("resume on the same data: %v", err)
	}
}

func mustOpt(t *testing.T, dim int, h Hyper) *Optimizer[float32] {
	o, err := NewOptimizer[float32](dim, h)
	if err != nil {
		t.Fatal(err)
	}
	return o
}
