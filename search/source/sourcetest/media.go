package sourcetest

import (
	"bytes"
	"context"
	"fmt"
	"io"
)

// Media serves files from memory by media id (a source.Media); an id it
// does not hold fails to open, as a deleted file would.
type Media map[string][]byte

// Open returns the file's bytes.
func (m Media) Open(_ context.Context, mediaID string) (io.ReadCloser, error) {
	b, ok := m[mediaID]
	if !ok {
		return nil, fmt.Errorf("sourcetest: no media %q", mediaID)
	}
	return io.NopCloser(bytes.NewReader(b)), nil
}
