package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/downhill-go/downhill/internal/idx"
)

// runSettings are the settings of a `downhill train` run that shape its
// trajectory. Every checkpoint stores them (sgd.Config.CheckpointMeta, as
// JSON), and -resume compares them with the command line: a resumed run
// must continue the same run, or say exactly how it differs.
type runSettings struct {
	Format   string  `json:"format"` // settingsFormat
	Epochs   int     `json:"epochs"`
	Batch    int     `json:"batch"`
	LR       float64 `json:"lr"`
	Momentum float64 `json:"momentum"`
	L2       float64 `json:"l2"`
	Schedule string  `json:"schedule"`
	Warmup   int     `json:"warmup"`
	Seed     uint64  `json:"seed"`
	Data     string  `json:"data"` // dataDigest of the training set
}

const settingsFormat = "downhill train settings 1"

func settingsOf(f trainFlags, train *idx.Set) runSettings {
	return runSettings{
		Format: settingsFormat, Epochs: f.epochs, Batch: f.batch, LR: f.lr, Momentum: f.momentum,
		L2: f.l2, Schedule: f.schedule, Warmup: f.warmup, Seed: f.seed, Data: dataDigest(train),
	}
}

// dataDigest identifies a training set: its shape and the SHA-256 of its
// images and labels.
func dataDigest(s *idx.Set) string {
	h := sha256.New()
	fmt.Fprintf(h, "%d %d %d\n", s.N, s.Rows, s.Cols)
	h.Write(s.Images)
	h.Write(s.Labels)
	return fmt.Sprintf("%d images of %dx%d, sha256 %s", s.N, s.Rows, s.Cols, hex.EncodeToString(h.Sum(nil))[:16])
}

func (s runSettings) meta() []byte {
	b, _ := json.Marshal(s) // plain fields: cannot fail
	return b
}

func parseSettings(meta []byte) (runSettings, error) {
	var s runSettings
	if err := json.Unmarshal(meta, &s); err != nil || s.Format != settingsFormat {
		return s, fmt.Errorf("the checkpoint's settings record is not one this downhill reads (%q)", truncate(string(meta), 80))
	}
	return s, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// compareSettings compares the settings of a resumed run (now) with the
// checkpoint's (then). refused lists the changes a resume may not make;
// note, when the number of epochs changed, says what that changes.
func compareSettings(then, now runSettings) (refused []string, note string) {
	diff := func(flag string, a, b any) {
		if fmt.Sprint(a) != fmt.Sprint(b) {
			refused = append(refused, fmt.Sprintf("%s %v (the checkpoint's run: %v)", flag, b, a))
		}
	}
	diff("-batch", then.Batch, now.Batch)
	diff("-lr", then.LR, now.LR)
	diff("-momentum", then.Momentum, now.Momentum)
	diff("-l2", then.L2, now.L2)
	diff("-schedule", then.Schedule, now.Schedule)
	diff("-warmup", then.Warmup, now.Warmup)
	diff("-seed", then.Seed, now.Seed)
	if then.Data != now.Data {
		refused = append(refused, fmt.Sprintf("the training data: %s (the checkpoint's run: %s)", now.Data, then.Data))
	}
	if then.Epochs != now.Epochs {
		note = fmt.Sprintf("-epochs %d: the checkpoint belongs to a %d-epoch run", now.Epochs, then.Epochs)
		if now.Schedule == "constant" {
			note += "; the learning rate is constant after the warmup, so the steps are those the longer run would take"
		} else {
			note += fmt.Sprintf("; the %s schedule now spans %d epochs instead of %d, so the remaining steps use other learning rates than either run would",
				now.Schedule, now.Epochs, then.Epochs)
		}
	}
	return refused, note
}

func refusal(path string, refused []string) error {
	return fmt.Errorf("-resume %s: the checkpoint belongs to a run with other settings:\n\t%s\nresume with the checkpoint's settings (only -epochs may change), or start a new run without -resume",
		path, strings.Join(refused, "\n\t"))
}
