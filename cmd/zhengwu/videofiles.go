package main

import (
	"context"
	"io"

	"zhengwu/cms/media"
	"zhengwu/officeapi/records"
	"zhengwu/officeapi/video"
	"zhengwu/shared/problem"
)

// videoFiles is the media store as the video library uses it
// (video.Files): uploaded videos are described (their sniffed type) and
// read for ffmpeg; posters made from them are stored beside them.
type videoFiles struct{ files *media.Service }

func (f videoFiles) Describe(ctx context.Context, id string) (video.File, bool, error) {
	rec, err := f.files.Get(ctx, id)
	if pe := problem.As(err); pe != nil && pe.Status == 404 {
		return video.File{}, false, nil
	}
	if err != nil {
		return video.File{}, false, err
	}
	return video.File{ID: rec.ID, Name: rec.Name, Type: rec.Type, Size: rec.Size}, true, nil
}

func (f videoFiles) Open(ctx context.Context, id string) (io.ReadCloser, error) {
	rec, err := f.files.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	return f.files.Open(ctx, rec)
}

func (f videoFiles) Add(ctx context.Context, a records.Actor, name string, content io.Reader) (string, error) {
	rec, _, err := f.files.Add(ctx, media.Upload{Name: name, Content: content, Actor: a.P.UserID, ActorIP: a.IP})
	return rec.ID, err
}
