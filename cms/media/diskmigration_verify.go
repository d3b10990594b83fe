package media

// DiskMigration's verification: every blob on both sides, by SHA-256.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"zhengwu/shared/store"
	"zhengwu/shared/store/migrate"
)

// Verify implements migrate.Extra: the target holds exactly the source's
// blobs (on disk and in its store), each with the same SHA-256.
func (m DiskMigration) Verify(ctx context.Context, dst migrate.Target, progress func(string, ...any)) (migrate.ExtraStats, error) {
	var stats migrate.ExtraStats
	keys, err := DiskKeys(m.Dir)
	if err != nil {
		return stats, err
	}
	own, err := storeManifests(ctx, m.Source)
	if err != nil {
		return stats, err
	}
	have, err := storeManifests(ctx, dst)
	if err != nil {
		return stats, err
	}
	want := map[string]bool{} // key → kept on disk
	for k := range own {
		want[k] = false
	}
	for _, k := range keys {
		want[k] = true
	}
	var diffs []string
	if len(want) != len(have) {
		diffs = append(diffs, fmt.Sprintf("media: %d blobs in the source, %d in the target", len(want), len(have)))
	}
	// Each store's chunks are read once, in order, a page at a time (a
	// query per blob would cost a collection read each on FerretDB).
	ownSums, err := hashStoreBlobs(ctx, m.Source, own)
	if err != nil {
		return stats, fmt.Errorf("media: read the source's stored blobs: %w", err)
	}
	haveSums, err := hashStoreBlobs(ctx, dst, have)
	if err != nil {
		return stats, fmt.Errorf("media: read the target's blobs: %w", err)
	}
	for i, key := range slices.Sorted(maps.Keys(want)) {
		a, onDisk := ownSums[key], want[key]
		if onDisk {
			if a, err = hashFile(filepath.Join(m.Dir, key[:2], key)); err != nil {
				return stats, fmt.Errorf("media: read source blob %s: %w", key, err)
			}
		}
		if a.err != nil {
			return stats, fmt.Errorf("media: read source blob %s: %w", key, a.err)
		}
		if contentKey(key) && a.sha256 != key {
			bad := fmt.Sprintf("media: blob %s is damaged in the source: its SHA-256 is %s", key, a.sha256)
			if !m.KeepDamaged {
				diffs = append(diffs, bad)
				continue
			}
			progress("%s; its copy is compared as it is", bad)
		}
		b, ok := haveSums[key]
		bad := ""
		switch {
		case !ok:
			diffs = append(diffs, fmt.Sprintf("media: blob %s is not in the target", key))
		case b.err != nil:
			bad = fmt.Sprintf("media: blob %s in the target is incomplete: %v", key, b.err)
		case a != b:
			bad = fmt.Sprintf("media: blob %s differs (%d bytes sha256 %s in the source, %d bytes sha256 %s in the target)",
				key, a.size, a.sha256, b.size, b.sha256)
		default:
			stats.Count++
			stats.Bytes += a.size
		}
		if bad != "" {
			// Its manifest goes, so that the next run copies it anew
			// (a copy is skipped by its manifest alone).
			if err := dst.LoadDocs(ctx, []store.Doc{{Collection: MediaCollection, ID: ManifestPrefix + key}}); err != nil {
				return stats, err
			}
			diffs = append(diffs, bad+"; its copy is dropped: run again to copy it anew")
		}
		if (i+1)%500 == 0 {
			progress("media verified: %d of %d blobs", i+1, len(want))
		}
	}
	if len(diffs) > 0 {
		return stats, &migrate.MismatchError{Differences: diffs}
	}
	progress("media verified: %d blobs, %d bytes, SHA-256 equal", stats.Count, stats.Bytes)
	return stats, nil
}

type blobSum struct {
	size   int64
	sha256 string
	err    error // the stored blob is incomplete
}

func hashFile(path string) (blobSum, error) {
	f, err := os.Open(path)
	if err != nil {
		return blobSum{}, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	return blobSum{size: n, sha256: hex.EncodeToString(h.Sum(nil))}, err
}

// hashStoreBlobs reads a store's chunk collection once, in id order
// (each blob's chunks in sequence), and sums every blob a manifest names,
// checking that each chunk is there and the sizes add up. Chunks no
// manifest names (a blob half written) are passed over.
func hashStoreBlobs(ctx context.Context, s store.Store, manifests map[string]manifest) (map[string]blobSum, error) {
	out := make(map[string]blobSum, len(manifests))
	var (
		cur        string // key being summed
		h          hash.Hash
		size, next int64
		buf        []byte
	)
	finish := func() {
		if cur == "" {
			return
		}
		mf := manifests[cur]
		sum := blobSum{size: size, sha256: hex.EncodeToString(h.Sum(nil))}
		if next != mf.Chunks || size != mf.Size {
			sum.err = fmt.Errorf("%d of %d chunks, %d of %d bytes", next, mf.Chunks, size, mf.Size)
		}
		out[cur], cur = sum, ""
	}
	after := ""
	for {
		page, err := s.Scan(ctx, ChunksCollection, after, chunksPerLoad)
		if err != nil {
			return nil, err
		}
		for _, d := range page {
			after = d.ID
			slash := strings.LastIndexByte(d.ID, '/')
			if slash < 0 {
				continue
			}
			key := d.ID[:slash]
			if key != cur {
				finish()
				if _, named := manifests[key]; !named {
					continue
				}
				cur, h, size, next = key, sha256.New(), 0, 0
			}
			if d.ID != chunkID(key, next) {
				continue // a gap (caught by the count) or a stray tail chunk
			}
			if buf, err = decodeChunk(d.Data, buf[:0]); err != nil {
				return nil, fmt.Errorf("chunk %s: %w", d.ID, err)
			}
			h.Write(buf)
			size += int64(len(buf))
			next++
		}
		if len(page) < chunksPerLoad {
			break
		}
	}
	finish()
	for key, mf := range manifests {
		if _, ok := out[key]; !ok {
			out[key] = blobSum{err: fmt.Errorf("0 of %d chunks", mf.Chunks)}
		}
	}
	return out, nil
}
