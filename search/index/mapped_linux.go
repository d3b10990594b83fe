package index

import (
	"encoding/binary"
	"fmt"
	"os"
	"syscall"
	"unsafe"
)

func pageSize() int { return syscall.Getpagesize() }

// presentPages reads, from /proc/self/pagemap, which pages of b are
// present in the process's page tables (bit 63 of each page's entry;
// readable by the process itself without privilege).
func presentPages(b []byte) ([]bool, error) {
	f, err := os.Open("/proc/self/pagemap")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	page := uintptr(pageSize())
	start := uintptr(unsafe.Pointer(&b[0]))
	n := (len(b) + int(page) - 1) / int(page)
	entries := make([]byte, 8*n)
	if _, err := f.ReadAt(entries, int64(start/page*8)); err != nil {
		return nil, fmt.Errorf("pagemap: %w", err)
	}
	out := make([]bool, n)
	for i := range out {
		out[i] = binary.LittleEndian.Uint64(entries[8*i:])>>63 == 1
	}
	return out, nil
}

// dropPages releases b's pages from the process's page tables. b must
// start on a page boundary (a mapping's start, or a page offset in it).
func dropPages(b []byte) error { return syscall.Madvise(b, syscall.MADV_DONTNEED) }
