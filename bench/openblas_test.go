//go:build openblas && cgo

package bench

import (
	"os"
	"testing"
)

func init() {
	openblasGemm32, openblasGemm64 = cblasSgemm, cblasDgemm
}

// TestOpenBLASCore logs which kernel OpenBLAS runs here.
func TestOpenBLASCore(t *testing.T) {
	t.Logf("OpenBLAS: %s (OPENBLAS_NUM_THREADS=%q)", openblasInfo(), os.Getenv("OPENBLAS_NUM_THREADS"))
}
