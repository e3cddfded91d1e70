package verify

import "sync"

// memo lets checks share a read: each (kind, key) is fetched once per
// target, however many checks need it, so the call count does not grow
// with the number of checks.
type memo struct {
	mu      sync.Mutex
	entries map[string]*entry
}

type entry struct {
	once sync.Once
	val  any
	err  error
}

func cached[T any](t *Target, key string, fetch func() (T, error)) (T, error) {
	t.memo.mu.Lock()
	if t.memo.entries == nil {
		t.memo.entries = map[string]*entry{}
	}
	e, ok := t.memo.entries[key]
	if !ok {
		e = &entry{}
		t.memo.entries[key] = e
	}
	t.memo.mu.Unlock()
	e.once.Do(func() { e.val, e.err = fetch() })
	v, _ := e.val.(T)
	return v, e.err
}
