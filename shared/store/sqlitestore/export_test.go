package sqlitestore

// SetTrainAt sets how many documents a collection needs before it gets a
// compression dictionary (and half as many in its sample), until the returned function restores it.
func SetTrainAt(n int) (restore func()) {
	oldAt, oldMin := trainAt, trainMin
	trainAt, trainMin = n, n/2
	return func() { trainAt, trainMin = oldAt, oldMin }
}

// WaitCompression waits until the dictionaries being made and the
// documents being re-packed are done. No write may run meanwhile.
func (s *Store) WaitCompression() { s.codec.wg.Wait() }
