//go:build !linux

package index

import "errors"

func pageSize() int { return 4096 }

func presentPages([]byte) ([]bool, error) {
	return nil, errors.New("index: no page residency on this system")
}

// dropPages does nothing where madvise's semantics are not Linux's.
func dropPages([]byte) error { return nil }
