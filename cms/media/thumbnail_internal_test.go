package media

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"net/http"
	"testing"

	"zhengwu/shared/problem"
)

// The thumbnailer refuses a decompression bomb from its header alone,
// even if one got past the upload check (for instance stored before the
// limits were lowered).
func TestMakeThumbnailRefusesBomb(t *testing.T) {
	t.Parallel()
	for _, dims := range [][2]uint32{{100000, 100000}, {12001, 1}, {1, 12001}, {8000, 8000}} {
		_, err := makeThumbnail(bytes.NewReader(bombPNG(dims[0], dims[1])), 320)
		p := problem.As(err)
		if p == nil || p.Status != http.StatusUnprocessableEntity || p.Code != "image_too_large" {
			t.Fatalf("%v: %v", dims, err)
		}
	}
	_, err := makeThumbnail(bytes.NewReader([]byte("\x89PNG\r\n\x1a\nnot really")), 320)
	if p := problem.As(err); p == nil || p.Status != http.StatusUnprocessableEntity {
		t.Fatalf("garbage: %v", err)
	}
}

func TestFit(t *testing.T) {
	t.Parallel()
	cases := []struct{ sw, sh, mw, mh, w, h int }{
		{1000, 500, 320, 1280, 320, 160},
		{100, 50, 640, 2560, 100, 50},
		{300, 5000, 160, 640, 38, 640},
		{100000, 1, 160, 640, 160, 1},
	}
	for _, c := range cases {
		if w, h := fit(c.sw, c.sh, c.mw, c.mh); w != c.w || h != c.h {
			t.Errorf("fit(%d,%d,%d,%d) = %d,%d want %d,%d", c.sw, c.sh, c.mw, c.mh, w, h, c.w, c.h)
		}
	}
}

func bombPNG(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 6
	_ = binary.Write(&b, binary.BigEndian, uint32(len(ihdr)))
	b.WriteString("IHDR")
	b.Write(ihdr)
	crc := crc32.NewIEEE()
	crc.Write([]byte("IHDR"))
	crc.Write(ihdr)
	_ = binary.Write(&b, binary.BigEndian, crc.Sum32())
	return b.Bytes()
}

// A chunk document reformatted by a database adapter still decodes.
func TestDecodeChunkFallback(t *testing.T) {
	t.Parallel()
	want := []byte("政务 bytes \x00\xff")
	fast := encodeChunk(want)
	for _, raw := range [][]byte{fast, bytes.ReplaceAll(fast, []byte(`{"data":"`), []byte(`{ "data" : "`)),
		append([]byte(`{"extra":1,`), fast[1:]...)} {
		got, err := decodeChunk(raw, nil)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("%s: %q %v", raw, got, err)
		}
	}
	if _, err := decodeChunk([]byte(`{"data":"!!"}`), nil); err == nil {
		t.Fatal("bad base64 accepted")
	}
}
