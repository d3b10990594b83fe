package seal

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"sync"

	"github.com/tdewolff/canvas"
	"github.com/tdewolff/canvas/renderers/rasterizer"

	"zhengwu/officeapi/layout"
	"zhengwu/officeapi/records"
	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
)

// The drawn seal: a red ring 42 mm across, the five-pointed star in its
// centre and the unit's name along the upper arc, read clockwise, as the
// seals of Chinese government bodies look. Drawn at 12 dots a millimetre
// (≈ 300 dpi) on a transparent ground, so that it lies over 成文日期 as a
// stamp does.
const (
	sealMM     = 42.0
	dotsPerMM  = 12.0
	maxImage   = 1 << 20 // an uploaded PNG: 1 MiB at most
	maxImagePx = 2000
)

var sealRed = color.RGBA{0xE6, 0x00, 0x12, 0xFF}

// drawn keeps each unit's drawn seal once per process: name → image.Image.
var drawn sync.Map

// Draw draws the seal of the unit called name with font (a 黑体 draws the
// bold strokes a stamp leaves).
func Draw(name string, font layout.FontFile) (image.Image, error) {
	cacheKey := fmt.Sprintf("%s\x00%s\x00%d", name, font.Path, font.Index)
	if img, ok := drawn.Load(cacheKey); ok {
		return img.(image.Image), nil
	}
	fam := canvas.NewFontFamily("seal")
	if err := fam.LoadFontCollection(font.Path, font.Index, canvas.FontRegular); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", layout.ErrFontMissing, font.Path, err)
	}
	c := canvas.New(sealMM, sealMM)
	ctx := canvas.NewContext(c)
	const cx, cy, ring = sealMM / 2, sealMM / 2, 1.4
	const R = sealMM/2 - ring/2 - 0.3
	ctx.SetFillColor(canvas.Transparent)
	ctx.SetStrokeColor(sealRed)
	ctx.SetStrokeWidth(ring)
	ctx.DrawPath(cx, cy, canvas.Circle(R))
	ctx.SetStrokeColor(canvas.Transparent)
	ctx.SetFillColor(sealRed)
	ctx.DrawPath(cx, cy, canvas.StarPolygon(5, R*0.38, R*0.38*0.382, true))

	// The name: one character at a time, upright towards the centre, read
	// clockwise over the upper arc: 180° for a short name, up to 250°.
	chars := []rune(name)
	n := float64(len(chars))
	span := math.Max(180, math.Min(250, n*22)) * math.Pi / 180
	// A character is at most 6.5 mm, and 85% of its share of the arc.
	em := math.Min(6.5, (R-ring/2-4)*span/n*0.85)
	rho := R - ring/2 - 0.8 - em/2
	face := fam.Face(em*72/25.4, sealRed) // Face takes points
	for i, r := range chars {
		theta := math.Pi/2 + span/2 - span*(float64(i)+0.5)/n
		ctx.Push()
		ctx.Translate(cx+rho*math.Cos(theta), cy+rho*math.Sin(theta))
		ctx.Rotate(theta*180/math.Pi - 90)
		ctx.DrawText(0, -em*0.38, canvas.NewTextLine(face, string(r), canvas.Center))
		ctx.Pop()
	}
	img := rasterizer.Draw(c, canvas.DPMM(dotsPerMM), canvas.DefaultColorSpace)
	drawn.Store(cacheKey, img)
	return img, nil
}

// image is the unit's seal image: the uploaded one, or the drawn one.
func (s *Service) image(r record) (image.Image, error) {
	if len(r.Image) > 0 {
		return png.Decode(bytes.NewReader(r.Image))
	}
	return Draw(r.Name, s.d.Font)
}

// Image is unit's seal image as a PNG, for the security administrator.
func (s *Service) Image(ctx context.Context, p *auth.Principal, unit string) ([]byte, error) {
	if !p.Can(auth.PermSealManage, auth.OfficeWide) {
		return nil, problem.Forbidden()
	}
	u, err := s.unit(ctx, unit)
	if err != nil {
		return nil, err
	}
	r, _, err := s.load(ctx, u)
	if err != nil {
		return nil, err
	}
	if len(r.Image) > 0 {
		return r.Image, nil
	}
	img, err := s.image(r)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	err = png.Encode(&b, img)
	return b.Bytes(), err
}

// SetImage replaces unit's drawn seal with an uploaded PNG (square, at
// most 2000 pixels a side and 1 MiB; a transparent ground is best); nil
// goes back to the drawn one.
func (s *Service) SetImage(ctx context.Context, a records.Actor, unit string, data []byte) (Unit, error) {
	const action = "seal.image.set"
	if !a.P.Can(auth.PermSealManage, auth.OfficeWide) {
		return Unit{}, s.refused(ctx, a, action, unit, problem.Forbidden())
	}
	u, err := s.unit(ctx, unit)
	if err != nil {
		return Unit{}, s.refused(ctx, a, action, unit, err)
	}
	if data != nil {
		if err := checkPNG(data); err != nil {
			return Unit{}, s.refused(ctx, a, action, unit, err)
		}
	}
	return s.change(ctx, u, func(r *record) (audit.Event, error) {
		r.Image = data
		r.CustomImage = data != nil
		return event(a, action, u.ID, map[string]any{"custom": data != nil, "bytes": len(data)}), nil
	})
}

func checkPNG(data []byte) error {
	bad := func(zh, en string) error { return problem.Invalid(problem.Field("image", zh, en)) }
	if len(data) > maxImage {
		return bad("印章图片不得超过 1 MB", "the seal image may be 1 MiB at most")
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return bad("印章图片须为 PNG", "the seal image must be a PNG")
	}
	if cfg.Width != cfg.Height || cfg.Width > maxImagePx || cfg.Width < 100 {
		return bad("印章图片须为正方形，边长 100 至 2000 像素", "the seal image must be square, 100 to 2000 pixels a side")
	}
	if _, err := png.Decode(bytes.NewReader(data)); err != nil {
		return bad("印章图片已损坏", "the seal image is corrupt")
	}
	return nil
}
