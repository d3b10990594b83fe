package sqlitestore_test

import (
	"testing"

	"zhengwu/shared/store"
	"zhengwu/shared/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return storetest.NewSQLite(t) }, storetest.Options{})
}
