package generic

import (
	"fmt"
	"testing"

	"github.com/downhill-go/downhill/kernels"
)

func BenchmarkGemm(b *testing.B) {
	for _, s := range [][3]int{{64, 10, 784}, {10, 784, 64}, {64, 256, 784}} {
		m, n, k := s[0], s[1], s[2]
		b.Run(fmt.Sprintf("f32/%dx%dx%d", m, n, k), func(b *testing.B) {
			x, y, c := make([]float32, m*k), make([]float32, k*n), make([]float32, m*n)
			for i := range x {
				x[i] = float32(i%7) * 0.25
			}
			for i := range y {
				y[i] = float32(i%5) * 0.5
			}
			for b.Loop() {
				Gemm(false, false, m, n, k, 1, x, k, y, n, 0, c, n)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(m*n*k), "ns/fma")
		})
		b.Run(fmt.Sprintf("f64/%dx%dx%d", m, n, k), func(b *testing.B) {
			x, y, c := make([]float64, m*k), make([]float64, k*n), make([]float64, m*n)
			for b.Loop() {
				Gemm(false, false, m, n, k, 1, x, k, y, n, 0, c, n)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(m*n*k), "ns/fma")
		})
		b.Run(fmt.Sprintf("ref32/%dx%dx%d", m, n, k), func(b *testing.B) {
			x, y, c := make([]float32, m*k), make([]float32, k*n), make([]float32, m*n)
			for b.Loop() {
				kernels.Gemm(false, false, m, n, k, 1, x, k, y, n, 0, c, n)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(m*n*k), "ns/fma")
		})
	}
}
