// Package media keeps the portal's attachments and images: uploads checked
// by content sniffing against an allow-list and a size limit, stored once
// per content (SHA-256 addressed, so the same bytes uploaded twice are one
// media), and JPEG thumbnails for images. Package mediahttp serves them
// (HTTP Range, ETag and a Content-Disposition carrying the Chinese file
// name).
//
// Visibility: reading a media needs no login. Portal attachments are
// public, and a media id is the SHA-256 of its bytes, so it cannot be
// guessed or enumerated: only someone who was given the link (or already
// has the file) can fetch it. Uploading needs portal.item.edit in some
// department. Nothing classified may be uploaded here: the portal holds
// unclassified material only.
package media

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"os"
	"sync"
	"time"

	"zhengwu/shared/attachment"
	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// MediaCollection holds one Record per media, id = SHA-256 hex (and, for
// StoreBlobs, the blob manifests under "blob/...").
const MediaCollection = "media"

// DefaultMaxSize is the upload limit when Deps.MaxSize is 0.
const DefaultMaxSize int64 = 50 << 20

// PermEdit is needed to upload, in some department: a portal editor's
// pictures and files. UploadOr do as well: whoever drafts a 公文 or writes
// department information attaches files to it. An upload reads nothing:
// a file is readable only by the readers of what refers to it (Rules).
var PermEdit = auth.PermPortalEdit

// UploadOr are the other permissions that may upload (see PermEdit).
var UploadOr = []auth.Permission{auth.PermDocDraft, auth.PermInfoEdit, auth.PermVideoManage, auth.PermOfficeRead}

// Record is a stored media.
type Record struct {
	ID        string    `json:"id"` // = SHA256
	Name      string    `json:"name"`
	Size      int64     `json:"size"`
	Type      string    `json:"type"`
	SHA256    string    `json:"sha256"`
	Width     int       `json:"width,omitempty"`
	Height    int       `json:"height,omitempty"`
	CreatedAt time.Time `json:"createdAt"`
	CreatedBy string    `json:"createdBy"`
}

// Deps are the service's dependencies.
type Deps struct {
	Store store.Store
	// Blobs keeps the bytes; nil = StoreBlobs on Store.
	Blobs Blobs
	// Trail records uploads and refused uploads.
	Trail *audit.Trail
	Now   func() time.Time
	// MaxSize is the largest accepted file in bytes (0 = DefaultMaxSize).
	// The Fiber app's BodyLimit must be somewhat larger, or Fiber refuses
	// the request before this service sees it.
	MaxSize int64
	// TempDir receives uploads while they are hashed and sniffed
	// ("" = os.TempDir()).
	TempDir string
	// Rules decide who may read a file, by the collection of the
	// documents that attach it (Access); a file of a collection without a
	// rule is read by no one.
	Rules map[string]attachment.Rule
}

// Service is the media capability.
type Service struct {
	store   store.Store
	blobs   Blobs
	trail   *audit.Trail
	now     func() time.Time
	maxSize int64
	tempDir string

	rules      map[string]attachment.Rule
	thumbLocks keyedMutex
	decodes    chan struct{} // bounds concurrent image decodes (memory)
}

// New builds the service.
func New(d Deps) *Service {
	if d.Store == nil {
		panic("media: Deps.Store is required")
	}
	if d.Blobs == nil {
		d.Blobs = NewStoreBlobs(d.Store)
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.MaxSize <= 0 {
		d.MaxSize = DefaultMaxSize
	}
	return &Service{store: d.Store, blobs: d.Blobs, trail: d.Trail, now: d.Now,
		maxSize: d.MaxSize, tempDir: d.TempDir, rules: d.Rules, decodes: make(chan struct{}, 2)}
}

// MaxSize is the upload limit in bytes.
func (s *Service) MaxSize() int64 { return s.maxSize }

// Upload is one file being uploaded.
type Upload struct {
	Name    string    // as the client sent it; cleaned before storing
	Content io.Reader // read once, to the end or to MaxSize+1 bytes
	Actor   string    // user id
	ActorIP string
}

func errTooLarge(max int64) *problem.Error {
	e := problem.New(http.StatusRequestEntityTooLarge, problem.CodeTooLarge,
		fmt.Sprintf("文件过大，最大 %d MB", max>>20), fmt.Sprintf("file too large; the limit is %d MB", max>>20))
	e.Fields = []problem.FieldError{problem.Field("file", "文件过大", "file too large")}
	return e
}

// CodeTypeRefused is the problem code of a file whose content type is not
// on the allow-list.
const CodeTypeRefused = "unsupported_media_type"

func errTypeRefused() *problem.Error {
	e := problem.New(http.StatusUnsupportedMediaType, CodeTypeRefused,
		"不支持的文件类型：仅接受 PDF、Word（doc/docx）、Excel（xls/xlsx）、PowerPoint（pptx）、OFD、图片（JPEG/PNG/GIF/WebP）、MP4、MP3、纯文本和 ZIP",
		"file type not allowed: PDF, Word (doc/docx), Excel (xls/xlsx), PowerPoint (pptx), OFD, images (JPEG/PNG/GIF/WebP), MP4, MP3, plain text and ZIP only")
	e.Fields = []problem.FieldError{problem.Field("file", "不支持的文件类型", "file type not allowed")}
	return e
}

func errBadImage(zh, en string) *problem.Error {
	return problem.Invalid(problem.Field("file", zh, en))
}

// Add checks and stores an upload. It returns the record and whether it
// was created (false: the same bytes were stored before, and the existing
// record is returned).
func (s *Service) Add(ctx context.Context, up Upload) (Record, bool, error) {
	rec, created, err := s.add(ctx, up)
	if err != nil {
		if p := problem.As(err); p != nil && p.Status < 500 {
			// A refused upload is a security event (an executable or a
			// script disguised as a document): record it, best effort.
			_ = s.audit(ctx, up, "", audit.Failure, p.Code, map[string]any{"name": CleanName(up.Name)})
		}
		return Record{}, false, err
	}
	if err := s.audit(ctx, up, rec.ID, audit.Success, "", map[string]any{
		"name": rec.Name, "size": rec.Size, "type": rec.Type, "deduplicated": !created}); err != nil {
		return Record{}, false, err
	}
	return rec, created, nil
}

func (s *Service) audit(ctx context.Context, up Upload, target, outcome, reason string, details map[string]any) error {
	if s.trail == nil {
		return nil
	}
	_, err := s.trail.Record(ctx, audit.Event{Actor: up.Actor, ActorIP: up.ActorIP, Action: "media.upload",
		Target: target, Outcome: outcome, Reason: reason, Details: details})
	return err
}

func (s *Service) add(ctx context.Context, up Upload) (Record, bool, error) {
	tmp, err := os.CreateTemp(s.tempDir, "zhengwu-upload-*")
	if err != nil {
		return Record{}, false, err
	}
	defer func() { _ = tmp.Close(); _ = os.Remove(tmp.Name()) }()

	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), io.LimitReader(up.Content, s.maxSize+1))
	if err != nil {
		if p := problem.As(err); p != nil {
			return Record{}, false, p
		}
		return Record{}, false, fmt.Errorf("media: receive upload: %w", err)
	}
	if n > s.maxSize {
		return Record{}, false, errTooLarge(s.maxSize)
	}
	if n == 0 {
		return Record{}, false, problem.Invalid(problem.Field("file", "文件为空", "the file is empty"))
	}
	sum := hexSum(h)
	typ := sniff(tmp, n)
	if typ == "" {
		return Record{}, false, errTypeRefused()
	}

	if rec, _, err := store.Load[Record](ctx, s.store, MediaCollection, sum); err == nil {
		return rec, false, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return Record{}, false, err
	}

	rec := Record{ID: sum, SHA256: sum, Name: CleanName(up.Name), Size: n, Type: typ,
		CreatedAt: s.now().UTC().Truncate(time.Millisecond), CreatedBy: up.Actor}
	if isImage(typ) {
		cfg, _, err := imageConfig(io.NewSectionReader(tmp, 0, n))
		if err != nil {
			return Record{}, false, errBadImage("图片已损坏，无法读取", "the image cannot be read")
		}
		if imageTooLarge(cfg) {
			return Record{}, false, errBadImage(
				fmt.Sprintf("图片尺寸过大（最大 %d×%d 像素）", MaxImageSide, MaxImageSide),
				fmt.Sprintf("image dimensions too large (at most %d×%d pixels)", MaxImageSide, MaxImageSide))
		}
		rec.Width, rec.Height = cfg.Width, cfg.Height
	}

	// Bytes first, record second: a record always has its bytes.
	if _, err := s.blobs.Put(ctx, sum, io.NewSectionReader(tmp, 0, n)); err != nil {
		return Record{}, false, err
	}
	if _, err := store.Save(ctx, s.store, MediaCollection, sum, rec, 0); err != nil {
		if errors.Is(err, store.ErrConflict) {
			// The same bytes were stored concurrently: theirs is the record.
			existing, _, lerr := store.Load[Record](ctx, s.store, MediaCollection, sum)
			return existing, false, lerr
		}
		return Record{}, false, err
	}
	return rec, true, nil
}

func hexSum(h hash.Hash) string { return hex.EncodeToString(h.Sum(nil)) }

// validID accepts a SHA-256 in lower-case hex.
func validID(id string) bool {
	if len(id) != 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

func errNoMedia() *problem.Error { return problem.NotFound("文件不存在", "no such media") }

// Get returns a media's record.
func (s *Service) Get(ctx context.Context, id string) (Record, error) {
	if !validID(id) {
		return Record{}, errNoMedia()
	}
	rec, _, err := store.Load[Record](ctx, s.store, MediaCollection, id)
	if errors.Is(err, store.ErrNotFound) {
		return Record{}, errNoMedia()
	}
	return rec, err
}

// Open returns the bytes of a media.
func (s *Service) Open(ctx context.Context, rec Record) (Blob, error) {
	b, err := s.blobs.Open(ctx, rec.SHA256)
	if errors.Is(err, ErrBlobNotFound) {
		return nil, fmt.Errorf("media: record %s has no blob: %w", rec.ID, err)
	}
	return b, err
}

// keyedMutex serialises work per key (one thumbnail generation per media
// and width at a time).
type keyedMutex struct {
	mu    sync.Mutex
	locks map[string]*keyedEntry
}

type keyedEntry struct {
	mu   sync.Mutex
	refs int
}

func (k *keyedMutex) lock(key string) func() {
	k.mu.Lock()
	if k.locks == nil {
		k.locks = map[string]*keyedEntry{}
	}
	e := k.locks[key]
	if e == nil {
		e = &keyedEntry{}
		k.locks[key] = e
	}
	e.refs++
	k.mu.Unlock()
	e.mu.Lock()
	return func() {
		e.mu.Unlock()
		k.mu.Lock()
		e.refs--
		if e.refs == 0 {
			delete(k.locks, key)
		}
		k.mu.Unlock()
	}
}
