package main

import (
	"bytes"
	"context"

	"zhengwu/cms/media"
	"zhengwu/officeapi/mail"
	"zhengwu/shared/problem"
)

// mailMedia describes a stored file for a mail's attachment: its real
// size and sniffed type.
func (p *parts) mailMedia(ctx context.Context, id string) (mail.Attachment, bool, error) {
	rec, err := p.files.Get(ctx, id)
	if pe := problem.As(err); pe != nil && pe.Status == 404 {
		return mail.Attachment{}, false, nil
	}
	if err != nil {
		return mail.Attachment{}, false, err
	}
	return mail.Attachment{MediaID: rec.ID, Name: rec.Name, Size: rec.Size, Type: rec.Type}, true, nil
}

// mailDemoFile stores the demo mail's attachment (a plain-text form).
func (p *parts) mailDemoFile(ctx context.Context) (mail.Attachment, error) {
	rec, _, err := p.files.Add(ctx, media.Upload{Name: "领导活动安排报送表.txt", ActorIP: "demo",
		Content: bytes.NewReader([]byte("日期\t时间\t领导\t活动内容\t地点\t主办处室\n"))})
	if err != nil {
		return mail.Attachment{}, err
	}
	return mail.Attachment{MediaID: rec.ID, Name: rec.Name, Size: rec.Size, Type: rec.Type}, nil
}
