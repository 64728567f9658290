package dhi

import (
	"sync"
	"sync/atomic"
)

// parallel runs f(i) for i in [0, n) on at most limit goroutines, the
// calling one included, and returns when every call has returned.
func parallel(n, limit int, f func(i int)) {
	var next atomic.Int64
	work := func() {
		for {
			i := int(next.Add(1)) - 1
			if i >= n {
				return
			}
			f(i)
		}
	}
	var wg sync.WaitGroup
	for range min(n, limit) - 1 {
		wg.Go(work)
	}
	work()
	wg.Wait()
}
