package migrate

import "context"

// Extra is content a source deployment keeps outside its store that the
// copy brings into the target's documents: media kept on disk
// (--media-dir), which a MongoDB deployment keeps as chunk documents
// (cms/media.DiskMigration). The copy calls it after the documents and
// before the verification.
type Extra interface {
	// Owns reports whether a document is part of the extra's content in
	// either store. The document verification leaves such documents out
	// on both sides (the source holds none for what it keeps outside) and
	// Verify checks that content by its own means. Owns(collection, "")
	// reports that every document of the collection is the extra's (the
	// verification then does not read it).
	Owns(collection, id string) bool
	// Copy writes into dst, through LoadDocs, whatever of the content dst
	// lacks, and removes from dst what the source no longer holds. It
	// calls step after each unit (a blob) with the documents it wrote, so
	// that the copy checkpoints and can be interrupted there; step's
	// error ends the copy. It skips what dst already holds, so a rerun
	// after an interruption or a completion writes only what is missing.
	Copy(ctx context.Context, dst Target, step func(docs int) error, progress func(format string, args ...any)) (ExtraStats, error)
	// Verify compares the content on both sides; a difference is a
	// *MismatchError. It returns what both sides hold.
	Verify(ctx context.Context, dst Target, progress func(format string, args ...any)) (ExtraStats, error)
}

// ExtraStats counts an Extra's content: units (blobs) and bytes.
type ExtraStats struct {
	Count int64 `json:"count"`
	Bytes int64 `json:"bytes"`
}
