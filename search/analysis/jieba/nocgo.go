//go:build !cgo

package jieba

import "time"

// LoadTime is 0 without cgo: jieba is not built, its analyzers are not
// registered, and a harness run that names them fails to open its index.
func LoadTime() time.Duration { return 0 }
