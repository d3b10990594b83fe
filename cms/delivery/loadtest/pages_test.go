//go:build load

package loadtest

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// Resident pages of the search index's mapped files, read from the
// process's page tables (/proc/PID/pagemap: a page counts in PSS only once
// the process has touched it, whether or not the page cache holds it), and
// split by what part of a zap segment they are: its stored documents
// (hits' fields, highlights' text), the stored documents' index, and the
// rest (term dictionaries, postings, positions, doc values).

var mapsLine = regexp.MustCompile(`^([0-9a-f]+)-([0-9a-f]+) \S+ ([0-9a-f]+) \S+ \S+\s+(\S.*)$`)

// indexResidency is the resident bytes of every file of the index dir mapped
// by the process pid, by zap part ("other" for files that are not segments).
func indexResidency(t *testing.T, pid int, dir string) map[string]float64 {
	maps, err := os.Open(fmt.Sprintf("/proc/%d/maps", pid))
	if err != nil {
		t.Fatal(err)
	}
	defer maps.Close()
	pm, err := os.Open(fmt.Sprintf("/proc/%d/pagemap", pid))
	if err != nil {
		t.Fatal(err)
	}
	defer pm.Close()
	page := uint64(os.Getpagesize())
	out := map[string]float64{}
	sc := bufio.NewScanner(maps)
	for sc.Scan() {
		m := mapsLine.FindStringSubmatch(sc.Text())
		if m == nil || !strings.HasPrefix(m[4], dir+"/") {
			continue
		}
		start, _ := strconv.ParseUint(m[1], 16, 64)
		end, _ := strconv.ParseUint(m[2], 16, 64)
		off, _ := strconv.ParseUint(m[3], 16, 64)
		bounds := zapRegions(strings.TrimSuffix(m[4], " (deleted)"))
		entries := make([]byte, (end-start)/page*8)
		if _, err := pm.ReadAt(entries, int64(start/page*8)); err != nil {
			t.Fatalf("pagemap of %s: %v", m[4], err)
		}
		for i := uint64(0); i < (end-start)/page; i++ {
			if binary.LittleEndian.Uint64(entries[i*8:])>>63 == 0 {
				continue // not present in this process's page tables
			}
			out[zapPart(bounds, off+i*page)] += float64(page)
		}
	}
	return out
}

// region is a part of a segment file: [start, end) named.
type region struct {
	start, end uint64
	name       string
}

// zapRegions reads a zap v17 segment's layout: its stored documents, their
// index, and for every field its postings (with positions), its term
// dictionary and its column (doc values), from the footer and the
// sections index. nil if the file is no zap segment.
func zapRegions(path string) []region {
	if filepath.Ext(path) != ".zap" {
		return nil
	}
	mem, err := os.ReadFile(path)
	if err != nil || len(mem) < 64 {
		return nil
	}
	tail := mem[len(mem)-40:]
	// ... id, idLen u32, numDocs u64, storedIndex u64, sectionsIndex u64, chunk u32, ver u32, crc u32
	numDocs := binary.BigEndian.Uint64(tail[4:])
	storedIndex := binary.BigEndian.Uint64(tail[12:])
	sectionsIndex := binary.BigEndian.Uint64(tail[20:])
	out := []region{{0, storedIndex, "stored"}, {storedIndex, storedIndex + 8*numDocs, "stored index"}}
	pos := sectionsIndex
	numFields, n := binary.Uvarint(mem[pos:])
	pos += uint64(n)
	type field struct {
		name                 string
		rec, dv, dvEnd, dict uint64
	}
	var fields []field
	for range numFields {
		addr := binary.BigEndian.Uint64(mem[pos:])
		pos += 8
		if addr == 0 {
			continue
		}
		p := addr
		nameLen, n := binary.Uvarint(mem[p:])
		p += uint64(n)
		name := string(mem[p : p+nameLen])
		p += nameLen
		_, n = binary.Uvarint(mem[p:]) // options
		p += uint64(n)
		sections, n := binary.Uvarint(mem[p:])
		p += uint64(n)
		for range sections {
			typ := binary.BigEndian.Uint16(mem[p:])
			at := binary.BigEndian.Uint64(mem[p+2:])
			p += 10
			if typ != 0 || at == 0 { // 0: the inverted text index
				continue
			}
			f := field{name: name, rec: at}
			var n1, n2 int
			f.dv, n1 = binary.Uvarint(mem[at:])
			f.dvEnd, n2 = binary.Uvarint(mem[at+uint64(n1):])
			f.dict, _ = binary.Uvarint(mem[at+uint64(n1+n2):])
			fields = append(fields, f)
		}
	}
	sort.Slice(fields, func(i, j int) bool { return fields[i].rec < fields[j].rec })
	prev := storedIndex + 8*numDocs
	for _, f := range fields {
		dictEnd := f.rec
		if f.dv < f.rec {
			dictEnd = f.dv
			out = append(out, region{f.dv, f.dvEnd, f.name + " columns"})
		}
		out = append(out, region{prev, f.dict, f.name + " postings"}, region{f.dict, dictEnd, f.name + " dictionary"})
		prev = f.rec
	}
	out = append(out, region{prev, uint64(len(mem)), "fields index, footer"})
	sort.Slice(out, func(i, j int) bool { return out[i].start < out[j].start })
	return out
}

func zapPart(regions []region, off uint64) string {
	if regions == nil {
		return "other"
	}
	i := sort.Search(len(regions), func(i int) bool { return off < regions[i].end })
	if i == len(regions) || off < regions[i].start {
		return "between"
	}
	return regions[i].name
}

// logResidency logs the resident pages of the index dir at a step of the test.
func logResidency(t *testing.T, pid int, dir, step string) map[string]float64 {
	r := indexResidency(t, pid, dir)
	var b strings.Builder
	total := 0.0
	keys := make([]string, 0, len(r))
	for k, v := range r {
		keys = append(keys, k)
		total += v
	}
	sort.Slice(keys, func(i, j int) bool { return r[keys[i]] > r[keys[j]] })
	for _, k := range keys {
		if r[k] >= 0.1e6 {
			fmt.Fprintf(&b, "; %s %.1f", k, r[k]/1e6)
		}
	}
	t.Logf("%s resident after %s: %.1f MB%s", filepath.Base(dir), step, total/1e6, b.String())
	return r
}

// residencyKinds sums a residency by kind of part (stored, postings,
// dictionaries, columns, the rest), for the footprint's table.
func residencyKinds(r map[string]float64) map[string]float64 {
	out := map[string]float64{}
	for k, v := range r {
		kind := "rest"
		for _, suffix := range []string{"stored", "postings", "dictionary", "columns"} {
			if strings.HasSuffix(k, suffix) {
				kind = suffix
			}
		}
		out[kind] += v
	}
	return out
}
