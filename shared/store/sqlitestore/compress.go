package sqlitestore

import (
	"fmt"

	"github.com/klauspost/compress/zstd"
)

// Documents are stored compressed with zstd when that saves space (issue
// 16 item 7). A portal item of ~2.8 KB of JSON (its body twice, as HTML and
// as text) took ~4.7 KB in the database when docs was a WITHOUT ROWID
// table, which keeps at most ~1 KB of a row in its B-tree page and puts
// the rest on overflow pages of 4 KB each, mostly empty; compressed, it is
// ~0.9 KB, and in today's rowid table (see docsTable) four fit a page.
//
// A stored value is either the JSON object itself (it starts with "{" or
// whitespace) or a zstd frame (it starts with zstd's magic number, which no
// JSON text does), so a database written before this change is read as it
// is and documents are compressed as they are next written.

// compressMin is the smallest document worth compressing: below it the
// frame header and the CPU cost more than the bytes saved.
const compressMin = 256

var zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}

// EncodeAll and DecodeAll are safe for concurrent use. Low-memory
// settings: documents are small, and a default encoder or decoder keeps
// megabytes of window per concurrent call. encoder and decoder work without
// a dictionary; a collection's dictionary has its own (dict.go).
var (
	encoder, _ = zstd.NewWriter(nil, encoderOptions()...)
	decoder, _ = zstd.NewReader(nil, decoderOptions()...)
)

func encoderOptions() []zstd.EOption {
	return []zstd.EOption{zstd.WithEncoderLevel(zstd.SpeedDefault), zstd.WithEncoderConcurrency(2),
		zstd.WithLowerEncoderMem(true), zstd.WithZeroFrames(true), zstd.WithEncoderCRC(false)}
}

func decoderOptions() []zstd.DOption {
	return []zstd.DOption{zstd.WithDecoderConcurrency(4), zstd.WithDecoderLowmem(true)}
}

// packWith is the stored form of a document's JSON of at least
// compressMin bytes: enc's frame, or the JSON when that is no smaller.
func packWith(enc *zstd.Encoder, data []byte) []byte {
	out := enc.EncodeAll(data, make([]byte, 0, len(data)/2))
	if len(out) >= len(data) {
		return data
	}
	return out
}

// unpackWith is the JSON of a stored zstd frame.
func unpackWith(dec *zstd.Decoder, stored []byte) ([]byte, error) {
	out, err := dec.DecodeAll(stored, nil)
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: stored document does not decompress: %w", err)
	}
	return out, nil
}
