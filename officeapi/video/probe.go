package video

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// ProbeTimeout bounds each ffmpeg or ffprobe run: a file that makes either
// hang (or a huge recording) costs the upload a placeholder, not a worker.
const ProbeTimeout = 30 * time.Second

// Prober makes a video's poster frame and reads its duration with
// ffmpeg and ffprobe. The programs run on a temporary copy of the stored
// file that this package wrote, never on a path from the client, with
// fixed arguments and a timeout. A zero Prober (no ffmpeg) probes nothing.
type Prober struct {
	FFmpeg  string // path of ffmpeg; "" when the process has none
	FFprobe string // path of ffprobe
}

// FindProber is the Prober for the --ffmpeg flag: the path given (ffprobe
// beside it), or ffmpeg on PATH when it is ""; a path that does not run
// gives the zero Prober and the reason, which the caller logs.
func FindProber(ffmpeg string) (Prober, error) {
	if ffmpeg == "" {
		ffmpeg = "ffmpeg"
	}
	ff, err := exec.LookPath(ffmpeg)
	if err != nil {
		return Prober{}, fmt.Errorf("ffmpeg not found (%s): posters are placeholders, durations unknown: %w", ffmpeg, err)
	}
	probe := filepath.Join(filepath.Dir(ff), "ffprobe")
	if _, err := exec.LookPath(probe); err != nil {
		if probe, err = exec.LookPath("ffprobe"); err != nil {
			return Prober{}, fmt.Errorf("ffprobe not found beside %s: %w", ff, err)
		}
	}
	return Prober{FFmpeg: ff, FFprobe: probe}, nil
}

// Available reports whether the prober has its programs.
func (p Prober) Available() bool { return p.FFmpeg != "" && p.FFprobe != "" }

// NoFFmpegNote is what the library says of a video probed without ffmpeg.
const NoFFmpegNote = "服务器未安装 ffmpeg，封面为占位图，时长未知"

// ProbeFailedNote is what it says when ffmpeg could not read the file.
const ProbeFailedNote = "ffmpeg 未能读取该视频，封面为占位图，时长未知"

// Probe reads the content into a temporary file and returns its duration
// in seconds and a PNG poster frame (one second in, or the first frame of
// a shorter video).
func (p Prober) Probe(ctx context.Context, content io.Reader) (seconds float64, poster []byte, err error) {
	if !p.Available() {
		return 0, nil, errors.New("no ffmpeg")
	}
	f, err := os.CreateTemp("", "zhengwu-video-*")
	if err != nil {
		return 0, nil, err
	}
	defer os.Remove(f.Name())
	_, err = io.Copy(f, content)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, ProbeTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, p.FFprobe, "-v", "error", "-show_entries", "format=duration",
		"-of", "default=noprint_wrappers=1:nokey=1", "--", f.Name()).Output()
	if err != nil {
		return 0, nil, fmt.Errorf("ffprobe: %w", err)
	}
	seconds, err = strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
	if err != nil || seconds < 0 {
		return 0, nil, fmt.Errorf("ffprobe gave no duration: %q", out)
	}
	at := "1"
	if seconds < 2 {
		at = "0"
	}
	poster, err = exec.CommandContext(ctx, p.FFmpeg, "-v", "error", "-nostdin", "-ss", at, "-i", f.Name(),
		"-frames:v", "1", "-vf", "scale=640:-2", "-f", "image2pipe", "-c:v", "png", "pipe:1").Output()
	if err != nil || len(poster) == 0 {
		return 0, nil, fmt.Errorf("ffmpeg poster: %w", err)
	}
	return seconds, poster, nil
}

// PlaceholderPoster is the poster of a video without a frame: a dark
// 16:9 card with a play triangle, drawn here so that it needs neither
// ffmpeg nor fonts (the UI writes the reason beside it). Every such
// video shares it: the media store keeps one copy.
func PlaceholderPoster() []byte {
	const w, h = 640, 360
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	bg, fg := color.RGBA{0x2b, 0x3a, 0x55, 0xff}, color.RGBA{0xdc, 0xe3, 0xee, 0xff}
	for y := range h {
		for x := range w {
			img.Set(x, y, bg)
		}
	}
	// A play triangle centred, pointing right.
	cx, cy, r := w/2, h/2, 60
	for y := cy - r; y <= cy+r; y++ {
		half := r - abs(y-cy)
		for x := cx - r/2; x <= cx-r/2+half*3/2; x++ {
			img.Set(x, y, fg)
		}
	}
	var b bytes.Buffer
	_ = png.Encode(&b, img)
	return b.Bytes()
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
