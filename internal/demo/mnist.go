package demo

import "github.com/downhill-go/downhill/internal/idx"

// MNIST loads the MNIST training and test sets from dir (see
// idx.LoadMNIST) as float32 features in [0, 1].
func MNIST(dir string) (train, test Data, err error) {
	tr, te, err := idx.LoadMNIST(dir)
	if err != nil {
		return Data{}, Data{}, err
	}
	return mnistData(tr), mnistData(te), nil
}

func mnistData(s *idx.Set) Data {
	d := Data{X: make([]float32, len(s.Images)), Labels: make([]int, s.N), Features: s.Pixels(), Classes: 10}
	for i, p := range s.Images {
		d.X[i] = float32(p) / 255
	}
	for i, l := range s.Labels {
		d.Labels[i] = int(l)
	}
	return d
}
