package sgd_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"math/rand/v2"

	"github.com/downhill-go/downhill/sgd"
)

// A complete training loop: softmax regression on three clusters in the
// plane, momentum SGD with a warmup and a cosine decay, then the accuracy.
func Example() {
	const n, features, classes = 3000, 2, 3
	r := rand.New(rand.NewPCG(1, 2))
	x := make([]float32, n*features)
	labels := make([]int, n)
	for i := range labels {
		c := i % classes
		labels[i] = c
		x[2*i] = float32(2*float64(c) + 0.5*r.NormFloat64())
		x[2*i+1] = float32(float64(c%2) + 0.5*r.NormFloat64())
	}

	prob, err := sgd.NewSoftmaxRegression(x, labels, features, classes, 1e-4)
	if err != nil {
		log.Fatal(err)
	}
	params := make([]float32, prob.Dim()) // classes x (features+1): weights, then bias
	opt, err := sgd.NewOptimizer[float32](prob.Dim(), sgd.Hyper{LR: 0.5, Momentum: 0.9, Nesterov: true})
	if err != nil {
		log.Fatal(err)
	}
	const epochs, batch = 5, 32
	steps := epochs * (n / batch)
	hist, err := sgd.Train(context.Background(), prob, params, opt, sgd.Config{
		Epochs:    epochs,
		BatchSize: batch,
		DropLast:  true,
		Seed:      42,
		Schedule:  sgd.Warmup(50, sgd.Cosine(1, 0.01, steps-50)),
		Progress: func(p sgd.Progress) { // p.Loss: the mean of the epoch's mini-batch losses
			fmt.Printf("epoch %d/%d  loss %.3f\n", p.Epoch, p.Epochs, p.Loss)
		},
	})
	var diverged *sgd.DivergenceError
	if errors.As(err, &diverged) {
		log.Fatalf("lower the learning rate: %v", err)
	} else if err != nil {
		log.Fatal(err)
	}
	acc, err := prob.Accuracy(params, x, labels)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d steps, accuracy %.2f\n", hist.Steps, acc)
	// Output:
	// epoch 0/5  loss 1.099
	// epoch 1/5  loss 0.241
	// epoch 2/5  loss 0.078
	// epoch 3/5  loss 0.072
	// epoch 4/5  loss 0.066
	// epoch 5/5  loss 0.066
	// 465 steps, accuracy 0.98
}
