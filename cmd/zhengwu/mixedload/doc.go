// Package mixedload is the mixed-workload load harness and the soak of the
// all-in-one server (#16 item 6). Its tests carry the `load` build tag and
// run from `make bench-mixed` and `make soak`, never from `make test`: they
// build the real binary, start `zhengwu serve --demo` on the embedded store
// and drive it over HTTP as several demo users would.
package mixedload
