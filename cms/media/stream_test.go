package media_test

import (
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"testing"
	"time"
	"zhengwu/shared/testkit"
)

// noise is an endless stream of bytes that costs nothing to send.
type noise struct{}

func (noise) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(i*7 + 3)
	}
	return len(p), nil
}

// An upload close to the limit is received from the socket into its spool
// file as it arrives: the server's heap grows by a small fraction of it.
func TestUploadNearTheLimitIsNotHeldInMemory(t *testing.T) {
	const limit = 50 << 20
	e := newEnv(t, "disk", limit)
	base := testkit.Serve(t, e.app)
	const size = limit - 4096

	body, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="file"; filename="年报.pdf"`)
		h.Set("Content-Type", "application/pdf")
		part, err := mw.CreatePart(h)
		if err == nil {
			_, err = io.WriteString(part, "%PDF-1.7\n")
		}
		if err == nil {
			_, err = io.Copy(part, io.LimitReader(noise{}, size-9))
		}
		if err == nil {
			err = mw.Close()
		}
		_ = pw.CloseWithError(err)
	}()
	req, _ := http.NewRequest("POST", base+"/api/portal/v1/media", body) // chunked: no length
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+e.editor)

	stop := testkit.HeapPeak(t)
	resp, err := (&http.Client{Timeout: 2 * time.Minute}).Do(req)
	peak := stop()
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 201 {
		t.Fatalf("upload of %d bytes: %d %s", size, resp.StatusCode, data)
	}
	if want := fmt.Sprintf(`"size":%d`, size); !strings.Contains(string(data), want) {
		t.Fatalf("response %s lacks %s", data, want)
	}
	t.Logf("heap grew by at most %.1f MB during a %d MB upload", float64(peak)/1e6, size>>20)
	if peak > 16<<20 {
		t.Fatalf("heap grew by %.0f MB during a %d MB upload: the body was held in memory", float64(peak)/1e6, size>>20)
	}
}
