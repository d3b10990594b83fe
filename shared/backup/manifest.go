// Package backup writes and reads Zhengwu's backup archives: one tar file
// (gzip-compressed when its name ends in .gz or .tgz) holding the store's
// snapshot, the media kept on disk, the master key when it lives in the
// data directory, and last a manifest with the SHA-256 of every file.
//
// The package knows files, not Zhengwu: the zhengwu command decides what
// goes in (cmd/zhengwu/backup.go) and where each file is restored.
// Reading is two passes: Verify checks every checksum before anything is
// written, Extract writes and checks again as it writes.
package backup

import (
	"fmt"
	"io/fs"
	"time"
)

// Format names the archive layout; Verify refuses any other.
const Format = "zhengwu-backup/1"

// ManifestName is the manifest's name in the archive (its last entry).
const ManifestName = "MANIFEST.json"

// Manifest describes an archive.
type Manifest struct {
	Format    string    `json:"format"`
	CreatedAt time.Time `json:"createdAt"`
	Version   string    `json:"version"` // the zhengwu binary that wrote it
	// Store is the engine backed up: "sqlite", or "mongodb" (dumped into
	// an SQLite file of the same layout: cmd/zhengwu/backupmongo.go); FeedSeq its feed
	// position (the highest sequence the snapshot holds) and Collections
	// the documents per collection in it, for the restore's check.
	Store       string           `json:"store"`
	FeedSeq     int64            `json:"feedSeq"`
	Collections map[string]int64 `json:"collections"`
	// MasterKey: "included" (the data directory's master.key is in the
	// archive) or "external" (kept elsewhere: restore needs the same key).
	MasterKey string `json:"masterKey"`
	// Media: "store" (in the snapshot) or "disk" (media/… files here).
	Media string `json:"media"`
	Files []File `json:"files"`
}

// File is one archived file and its checksum.
type File struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// checkName refuses names that could leave the restore's directories.
func checkName(name string) error {
	if !fs.ValidPath(name) || name == "." || name == ManifestName {
		return fmt.Errorf("backup: archive entry %q: not a file name a backup writes", name)
	}
	return nil
}
