package media_test

import (
	"bytes"
	"encoding/binary"
	"strconv"
	"testing"
)

const benchFileSize = 20 << 20

// BenchmarkUpload measures POST /media of a 20 MB file through the whole
// HTTP stack (multipart parse, SHA-256, sniff, spool, blob write) on each
// backend. Each iteration uploads different bytes, so nothing is deduped.
func BenchmarkUpload(b *testing.B) {
	eachBackendB(b, func(b *testing.B, e *env) {
		data := bigPDF(benchFileSize, 42)
		b.SetBytes(benchFileSize)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			binary.BigEndian.PutUint64(data[16:], uint64(i))
			r := e.upload(e.editor, "大文件.pdf", data)
			if r.Status != 201 {
				b.Fatalf("upload: %d %s", r.Status, r.Body)
			}
		}
	})
}

// BenchmarkRangedRead measures GET /media/{id} with Range requests of
// 1 MiB spread over a 20 MB file (seek + stream), on each backend.
func BenchmarkRangedRead(b *testing.B) {
	const span = 1 << 20
	eachBackendB(b, func(b *testing.B, e *env) {
		data := bigPDF(benchFileSize, 43)
		m := e.uploaded("大文件.pdf", data, 201)
		b.SetBytes(span)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			start := (i * 7919 * 4096) % (benchFileSize - span)
			r := e.get(m.URL, "Range", "bytes="+strconv.Itoa(start)+"-"+strconv.Itoa(start+span-1))
			if r.Status != 206 || !bytes.Equal(r.Body, data[start:start+span]) {
				b.Fatalf("range at %d: %d, %d bytes", start, r.Status, len(r.Body))
			}
		}
	})
}

// BenchmarkFullRead streams the whole 20 MB file.
func BenchmarkFullRead(b *testing.B) {
	eachBackendB(b, func(b *testing.B, e *env) {
		m := e.uploaded("大文件.pdf", bigPDF(benchFileSize, 44), 201)
		b.SetBytes(benchFileSize)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if r := e.get(m.URL); r.Status != 200 || len(r.Body) != benchFileSize {
				b.Fatalf("get: %d", r.Status)
			}
		}
	})
}
