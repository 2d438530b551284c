package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestTrainModelFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-model", "cnn"}, `-model "cnn"`},
		{[]string{"-model", "mlp", "-hidden", "0"}, `-hidden "0"`},
		{[]string{"-model", "mlp", "-hidden", "256,"}, `-hidden "256,"`},
		{[]string{"-nesterov", "-momentum", "0"}, "-nesterov"},
		{[]string{"-weight-decay", "-1"}, "-weight-decay -1"},
		{[]string{"-weight-decay", "NaN"}, "-weight-decay NaN"},
		{[]string{"-clip", "Inf"}, "-clip +Inf"},
	} {
		code, _, errw := runCmd(t, append([]string{"train"}, c.args...)...)
		if code != 2 || !strings.Contains(errw, c.want) {
			t.Errorf("train %v: exit %d, want 2 and %q in:\n%s", c.args, code, c.want, errw)
		}
	}
}

// TestTrainMLPJSON trains the MLP on the tiny digits with every model
// flag and checks the JSON: history, model description and parameters;
// the same run with other worker counts gives the same parameters.
func TestTrainMLPJSON(t *testing.T) {
	dir := t.TempDir()
	writeDigits(t, dir, 400, 100)
	run := func(workers string) trainResult {
		code, out, errw := runCmd(t, "train", "-data", dir, "-model", "mlp", "-hidden", "16,12",
			"-epochs", "6", "-batch", "20", "-warmup", "5", "-lr", "0.1", "-nesterov",
			"-weight-decay", "1e-4", "-clip", "5", "-workers", workers, "-json")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errw)
		}
		var res trainResult
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		return res
	}
	res := run("1")
	m := res.Model
	if m.Kind != "mlp" || len(m.Sizes) != 4 || m.Sizes[1] != 16 || m.Sizes[2] != 12 || m.Sizes[3] != 10 {
		t.Fatalf("model %s, sizes %v", m.Kind, m.Sizes)
	}
	if want := 16*(m.Sizes[0]+1) + 12*17 + 10*13; m.Dim != want || len(m.Params) != want {
		t.Errorf("dim %d, %d params, want %d", m.Dim, len(m.Params), want)
	}
	if !m.Nesterov || m.WeightDecay != 1e-4 || m.Clip != 5 {
		t.Errorf("model flags not reported: nesterov %v, weight decay %v, clip %v", m.Nesterov, m.WeightDecay, m.Clip)
	}
	if len(res.History) != 7 || res.TestAccuracy < 0.9 {
		t.Errorf("history %d points, test accuracy %v", len(res.History), res.TestAccuracy)
	}
	res3 := run("3")
	for i := range m.Params {
		if m.Params[i] != res3.Model.Params[i] {
			t.Fatalf("workers 1 and 3: parameter %d differs: %v, %v", i, m.Params[i], res3.Model.Params[i])
		}
	}
}
