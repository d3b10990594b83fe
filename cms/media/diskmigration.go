package media

// Moving media kept on disk (--media-dir, DiskBlobs) into a store that
// keeps them as chunk documents (StoreBlobs): `zhengwu migrate --media-dir`
// into MongoDB, whose services keep media in the database so that no
// disk is shared between them, and `zhengwu restore --mongodb-uri` of an
// embedded archive holding media files.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"zhengwu/shared/store"
	"zhengwu/shared/store/migrate"
)

// chunksPerLoad is the chunk documents written per LoadDocs: 16 × 255 KiB
// (340 KiB each in base64 JSON) stays far below a database message.
const chunksPerLoad = 16

// DiskMigration is the migrate.Extra that copies the blobs of a media
// directory into the target store in StoreBlobs' layout.
//
// Each blob's chunks are written first and its manifest last, as
// StoreBlobs.Put does: the manifests in the target are the copy's
// checkpoints. A run lists them once and copies only the blobs the target
// lacks, so an interrupted run resumes at the blob it stopped in and a
// rerun copies nothing; a blob half written (chunks, no manifest) is
// written again whole. The documents go in through LoadDocs (no feed
// entry, version 1): they are not changes of the deployment, and the
// target's feed must stay the source's, sequence for sequence.
//
// The source's blobs are those on disk and those its store keeps itself
// (a deployment that ran without --media-dir before: copied with the
// documents). Verify reads every blob on both sides and compares count
// and SHA-256 per blob; a target blob that differs loses its manifest,
// so that the next run copies it again.
//
// A file whose name is a content address (an original's SHA-256) and
// whose bytes hash to another is damaged. It is hashed before anything of
// it is written: a migration copies the others, then fails naming every
// damaged file, with nothing of them in the target (a sound copy an
// earlier run made stays), for them to be restored before a rerun.
// KeepDamaged copies them as they are, named in the progress: a restore
// brings back what its backup holds.
type DiskMigration struct {
	Dir         string      // the deployment's media directory
	Source      store.Store // the deployment's store
	Now         func() time.Time
	KeepDamaged bool
}

// Owns implements migrate.Extra: chunk documents (the whole collection)
// and blob manifests.
func (m DiskMigration) Owns(collection, id string) bool {
	if collection == ChunksCollection {
		return true
	}
	return id != "" && collection == MediaCollection && strings.HasPrefix(id, ManifestPrefix)
}

// DiskKeys lists the blob keys of a media directory (<dir>/<key[:2]>/<key>),
// sorted, leaving out temporary files and anything DiskBlobs would not
// have written.
func DiskKeys(dir string) ([]string, error) {
	var keys []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !d.Type().IsRegular() {
			return nil
		}
		key := d.Name()
		if validKey(key) && filepath.Base(filepath.Dir(path)) == key[:2] && filepath.Dir(filepath.Dir(path)) == filepath.Clean(dir) {
			keys = append(keys, key)
		}
		return nil
	})
	slices.Sort(keys)
	return keys, err
}

// storeManifests reads every blob manifest a store holds, by key.
func storeManifests(ctx context.Context, s store.Store) (map[string]manifest, error) {
	out := map[string]manifest{}
	for d, err := range store.ScanAll(ctx, s, MediaCollection, ManifestPrefix) {
		if err != nil {
			return nil, err
		}
		if !strings.HasPrefix(d.ID, ManifestPrefix) {
			break // past the manifests: media records' ids are hex digits
		}
		var m manifest
		if err := json.Unmarshal(d.Data, &m); err != nil {
			return nil, fmt.Errorf("media: manifest %s: %w", d.ID, err)
		}
		out[strings.TrimPrefix(d.ID, ManifestPrefix)] = m
	}
	return out, nil
}

// Copy implements migrate.Extra.
func (m DiskMigration) Copy(ctx context.Context, dst migrate.Target, step func(int) error, progress func(string, ...any)) (migrate.ExtraStats, error) {
	var copied migrate.ExtraStats
	keys, err := DiskKeys(m.Dir)
	if err != nil {
		return copied, fmt.Errorf("media: --media-dir: %w", err)
	}
	have, err := storeManifests(ctx, dst)
	if err != nil {
		return copied, err
	}
	own, err := storeManifests(ctx, m.Source)
	if err != nil {
		return copied, err
	}
	now := time.Now
	if m.Now != nil {
		now = m.Now
	}
	onDisk := make(map[string]bool, len(keys))
	var damaged []string
	for i, key := range keys {
		onDisk[key] = true
		path := filepath.Join(m.Dir, key[:2], key)
		st, err := os.Stat(path)
		if err != nil {
			return copied, err
		}
		if prev, ok := have[key]; ok && prev.Size == st.Size() {
			continue // there already: keys are content addresses
		}
		bad, err := m.damaged(key, path)
		if err != nil {
			return copied, err
		}
		if bad != "" {
			if !m.KeepDamaged {
				damaged = append(damaged, bad)
				progress("media %d/%d: %s, not copied", i+1, len(keys), bad)
				continue
			}
			progress("media %d/%d: %s, copied as it is", i+1, len(keys), bad)
		}
		docs, err := m.copyBlob(ctx, dst, key, path, have[key], now().UTC())
		if err != nil {
			return copied, fmt.Errorf("media: copy blob %s: %w", key, err)
		}
		copied.Count++
		copied.Bytes += st.Size()
		progress("media %d/%d: %s (%d bytes)", i+1, len(keys), key, st.Size())
		if err := step(docs); err != nil {
			return copied, err
		}
	}
	if len(damaged) > 0 {
		return copied, fmt.Errorf("media: not copied, damaged (a file's SHA-256 is not its name; %d of %d files): "+
			"restore them from a backup and run again:\n%s", len(damaged), len(keys), strings.Join(damaged, "\n"))
	}
	// Blobs the source no longer holds (removed since an earlier run).
	for _, key := range slices.Sorted(maps.Keys(have)) {
		if onDisk[key] {
			continue
		}
		if _, ok := own[key]; ok {
			continue
		}
		if err := removeBlob(ctx, dst, key, have[key]); err != nil {
			return copied, err
		}
		progress("media: removed %s, no longer in the source", key)
		if err := step(int(have[key].Chunks) + 1); err != nil {
			return copied, err
		}
	}
	return copied, nil
}

// damaged reads the file at path, kept under key, and says how it is
// damaged ("" when it is not, or when key is not a content address).
func (m DiskMigration) damaged(key, path string) (string, error) {
	if !contentKey(key) {
		return "", nil
	}
	sum, err := hashFile(path)
	if err != nil {
		return "", fmt.Errorf("media: read %s: %w", path, err)
	}
	if sum.sha256 == key {
		return "", nil
	}
	return fmt.Sprintf("%s is damaged: its SHA-256 is %s", path, sum.sha256), nil
}

// contentKey reports whether key is a content address (an original's
// SHA-256 in hex), which its bytes must hash to; a thumbnail's key
// (ThumbnailKey) is derived, not a hash of its own bytes.
func contentKey(key string) bool {
	if len(key) != sha256.Size*2 {
		return false
	}
	_, err := hex.DecodeString(key)
	return err == nil
}

// copyBlob writes one file's chunks, then its manifest; prev is the
// target's manifest of the key if it has one (its tail chunks removed).
func (m DiskMigration) copyBlob(ctx context.Context, dst migrate.Target, key, path string, prev manifest, at time.Time) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	buf := make([]byte, ChunkSize)
	var batch []store.Doc
	var size, n int64
	written := 0
	flush := func() error {
		if err := dst.LoadDocs(ctx, batch); err != nil {
			return err
		}
		written += len(batch)
		batch = batch[:0]
		return nil
	}
	for {
		k, err := io.ReadFull(f, buf)
		if k > 0 {
			batch = append(batch, store.Doc{Collection: ChunksCollection, ID: chunkID(key, n), Version: 1,
				UpdatedAt: at, Data: encodeChunk(buf[:k])})
			size += int64(k)
			n++
			if len(batch) == chunksPerLoad {
				if err := flush(); err != nil {
					return written, err
				}
			}
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			break
		}
		if err != nil {
			return written, err
		}
	}
	for i := n; i < prev.Chunks; i++ {
		batch = append(batch, store.Doc{Collection: ChunksCollection, ID: chunkID(key, i)}) // nil Data: removed
	}
	if err := flush(); err != nil {
		return written, err
	}
	data, err := json.Marshal(manifest{Key: key, Size: size, ChunkSize: ChunkSize, Chunks: n})
	if err != nil {
		return written, err
	}
	batch = append(batch, store.Doc{Collection: MediaCollection, ID: ManifestPrefix + key, Version: 1, UpdatedAt: at, Data: data})
	return written, flush()
}

// removeBlob removes a blob from the target, manifest first.
func removeBlob(ctx context.Context, dst migrate.Target, key string, m manifest) error {
	docs := []store.Doc{{Collection: MediaCollection, ID: ManifestPrefix + key}}
	for i := range m.Chunks {
		docs = append(docs, store.Doc{Collection: ChunksCollection, ID: chunkID(key, i)})
	}
	return dst.LoadDocs(ctx, docs)
}
