package media

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"net/http"
	"strconv"

	"golang.org/x/image/draw"

	"zhengwu/shared/problem"
)

// ThumbnailWidths are the widths a thumbnail may be asked for.
var ThumbnailWidths = []int{160, 320, 640}

// DefaultThumbnailWidth is used when the request names none.
const DefaultThumbnailWidth = 320

// ThumbnailKey is the blob key of a media's thumbnail of width w (and,
// quoted, its ETag: a thumbnail never changes).
func ThumbnailKey(id string, w int) string { return id + ".w" + strconv.Itoa(w) + ".jpg" }

// ThumbnailType is every thumbnail's media type.
const ThumbnailType = TypeJPEG

// Thumbnail returns the JPEG thumbnail of an image media, w pixels wide
// at most (never enlarged), making and storing it on first request.
func (s *Service) Thumbnail(ctx context.Context, rec Record, w int) (Blob, error) {
	if !isImage(rec.Type) {
		return nil, problem.NotFound("此文件不是图片，没有缩略图", "this media is not an image and has no thumbnail")
	}
	valid := false
	for _, tw := range ThumbnailWidths {
		valid = valid || tw == w
	}
	if !valid {
		return nil, problem.Invalid(problem.Field("w", "宽度只能是 160、320 或 640", "w must be 160, 320 or 640"))
	}
	key := ThumbnailKey(rec.ID, w)
	if b, err := s.blobs.Open(ctx, key); err == nil {
		return b, nil
	} else if !errors.Is(err, ErrBlobNotFound) {
		return nil, err
	}
	unlock := s.thumbLocks.lock(key)
	defer unlock()
	if b, err := s.blobs.Open(ctx, key); err == nil {
		return b, nil // made while we waited
	}
	src, err := s.Open(ctx, rec)
	if err != nil {
		return nil, err
	}
	select {
	case s.decodes <- struct{}{}:
	case <-ctx.Done():
		_ = src.Close()
		return nil, ctx.Err()
	}
	data, err := makeThumbnail(src, w)
	<-s.decodes
	_ = src.Close()
	if err != nil {
		return nil, err
	}
	if _, err := s.blobs.Put(ctx, key, bytes.NewReader(data)); err != nil {
		return nil, err
	}
	return s.blobs.Open(ctx, key)
}

// makeThumbnail decodes an image (refusing, from its header alone, one
// whose dimensions exceed the limits) and scales it to at most w pixels
// wide and 4w high, on white (JPEG has no transparency).
func makeThumbnail(r io.ReadSeeker, w int) ([]byte, error) {
	cfg, _, err := image.DecodeConfig(bufio.NewReader(r))
	if err != nil {
		return nil, errUnreadableImage(err)
	}
	if imageTooLarge(cfg) {
		return nil, problem.New(http.StatusUnprocessableEntity, "image_too_large",
			fmt.Sprintf("图片尺寸过大（%d×%d），无法生成缩略图", cfg.Width, cfg.Height),
			fmt.Sprintf("image too large (%d×%d) for a thumbnail", cfg.Width, cfg.Height))
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	img, _, err := image.Decode(bufio.NewReader(r))
	if err != nil {
		return nil, errUnreadableImage(err)
	}
	sb := img.Bounds()
	tw, th := fit(sb.Dx(), sb.Dy(), w, 4*w)
	dst := image.NewRGBA(image.Rect(0, 0, tw, th))
	draw.Draw(dst, dst.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.CatmullRom.Scale(dst, dst.Bounds(), img, sb, draw.Over, nil)
	var out bytes.Buffer
	if err := jpeg.Encode(&out, dst, &jpeg.Options{Quality: 82}); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

func errUnreadableImage(err error) error {
	e := problem.New(http.StatusUnprocessableEntity, "image_unreadable", "图片无法解码，无法生成缩略图", "the image cannot be decoded")
	e.Cause = err
	return e
}

// fit scales (sw, sh) down to fit in (maxW, maxH), keeping the aspect
// ratio, never enlarging, never below 1×1.
func fit(sw, sh, maxW, maxH int) (int, int) {
	w, h := sw, sh
	if w > maxW {
		h = int(int64(h) * int64(maxW) / int64(w))
		w = maxW
	}
	if h > maxH {
		w = int(int64(w) * int64(maxH) / int64(h))
		h = maxH
	}
	return max(w, 1), max(h, 1)
}
