package cms

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"zhengwu/cms/channel"
	"zhengwu/cms/demo"
	"zhengwu/cms/item"
	"zhengwu/cms/media"
	"zhengwu/shared/store"
)

// demoAttachmentsKey is the demo key of the policy file with attachments.
const demoAttachmentsKey = "policy-attachments"

// seedDemoAttachments publishes a policy file whose attachments show
// what search does with files: a DOCX and a text file saved in GBK (as
// Chinese Windows editors save "ANSI" text), found by their text and
// named in the results (附件《…》中), and a ZIP bundle, which search does
// not open and the editor's console reports on the item. The files
// go through the media service's checks like any upload; nothing is
// uploaded once the item exists. 信息处 (xinxi) keeps it: the demo
// editor (李文静) opens it in the console and sees the report.
func (s *Service) seedDemoAttachments(ctx context.Context, now time.Time) (bool, error) {
	_, _, err := store.Load[struct{ ID string }](ctx, s.deps.Store, demoCollection, demoAttachmentsKey)
	if err == nil {
		return false, nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return false, err
	}
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(demoTextAttachment)
	if err != nil {
		return false, err
	}
	files := []struct {
		name string
		data []byte
	}{
		{"安徽省湿地保护修复实施方案.docx", demoDOCX(demoDOCXParagraphs...)},
		{"重点湿地名录及保护措施说明.txt", []byte(gbk)},
		// A bundle: the media service takes ZIP files, search reads none.
		{"湿地监测数据汇编.zip", demoZIP("监测数据说明.txt", "2025年度全省重点湿地监测数据。")},
	}
	var atts []item.Attachment
	for _, f := range files {
		rec, _, err := s.Media.Add(ctx, media.Upload{Name: f.name, Content: bytes.NewReader(f.data), Actor: demoEditor.UserID})
		if err != nil {
			return false, fmt.Errorf("demo attachment %s: %w", f.name, err)
		}
		atts = append(atts, item.Attachment{MediaID: rec.ID, Name: rec.Name})
	}
	at := now.AddDate(0, 0, -3).Truncate(24 * time.Hour).Add(10 * time.Hour)
	written := at.AddDate(0, 0, -2)
	d := demo.Draft{Key: demoAttachmentsKey, Type: channel.TypePolicy, Channel: "files-general-office", Department: "xinxi", At: at,
		Fields: map[string]any{
			"title":       "安徽省人民政府办公厅关于印发安徽省湿地保护修复实施方案的通知",
			"summary":     "印发湿地保护修复实施方案，附重点湿地名录及保护措施说明。",
			"body":        "<p>各市人民政府，省政府各部门、各直属机构：</p><p>《安徽省湿地保护修复实施方案》已经省政府同意，现印发给你们，请认真贯彻执行。具体内容见附件。</p>",
			"docNumber":   fmt.Sprintf("皖政办〔%d〕99号", at.Year()),
			"issuers":     []string{"安徽省人民政府办公厅"},
			"genre":       "通知",
			"writtenAt":   written.Format(time.RFC3339),
			"effectiveAt": written.AddDate(0, 0, 30).Format(time.RFC3339),
			"validity":    "有效",
			"publishAt":   at.Format(time.RFC3339),
			"attachments": atts,
			"source":      "安徽省人民政府办公厅",
		}}
	id, err := s.seedOne(ctx, d, map[string]string{})
	if err != nil {
		return false, fmt.Errorf("demo item %s: %w", d.Key, err)
	}
	if _, err := store.Save(ctx, s.deps.Store, demoCollection, d.Key, map[string]string{"ID": id}, 0); err != nil {
		return false, err
	}
	return true, nil
}

var demoDOCXParagraphs = []string{
	"安徽省湿地保护修复实施方案",
	"一、总体要求。坚持保护优先、自然恢复为主，全面保护巢湖、升金湖、菜子湖等重要湿地。",
	"二、主要任务。实施退耕还湿、生态补水和候鸟栖息地修复，到2030年全省湿地保护率稳定在50%以上。",
	"三、保障措施。建立湿地保护修复联席会议制度，落实湿地生态效益补偿资金。",
}

const demoTextAttachment = "重点湿地名录及保护措施说明\r\n" +
	"一、安徽升金湖国家级自然保护区：白头鹤越冬栖息地，实行季节性禁渔。\r\n" +
	"二、巢湖湖滨湿地：建设环湖生态缓冲带，开展水生植被恢复。\r\n" +
	"三、菜子湖湿地：保护东方白鹳等珍稀候鸟，控制围网养殖。\r\n"

// demoZIP is a ZIP archive of one file.
func demoZIP(name, text string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create(name)
	_, _ = w.Write([]byte(text))
	_ = zw.Close()
	return buf.Bytes()
}

// demoDOCX is the least Word document the media service accepts as a
// DOCX ([Content_Types].xml and word/document.xml) with one paragraph
// per string.
func demoDOCX(paras ...string) []byte {
	var body bytes.Buffer
	for _, p := range paras {
		body.WriteString("<w:p><w:r><w:t>")
		_ = xml.EscapeText(&body, []byte(p))
		body.WriteString("</w:t></w:r></w:p>")
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, part := range []struct{ name, data string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`},
		{"word/document.xml", `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body.String() + `</w:body></w:document>`},
	} {
		w, _ := zw.Create(part.name)
		_, _ = w.Write([]byte(part.data))
	}
	_ = zw.Close()
	return buf.Bytes()
}
