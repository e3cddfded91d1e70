package verify

import "sync"

// Memo lets checks share a read: each (kind, key) is fetched once per
// target, however many checks need it, so the call count does not grow
// with the number of checks.
type Memo struct {
	mu      sync.Mutex
	entries map[string]*entry
}

type entry struct {
	once sync.Once
	val  any
	err  error
}

func cached[T any](t *Target, key string, fetch func() (T, error)) (T, error) {
	return remember(&t.memo, key, fetch)
}

// accountWide shares a read of an account-wide setting (GuardDuty, EBS
// encryption by default, the password policy...) between every tenant of a
// fleet run in the same account and region; without a fleet, per target.
func accountWide[T any](t *Target, key string, fetch func() (T, error)) (T, error) {
	if t.Shared == nil {
		return cached(t, "account/"+key, fetch)
	}
	return remember(t.Shared, t.Inv.AccountID+"/"+t.Inv.Region+"/"+key, fetch)
}

func remember[T any](m *Memo, key string, fetch func() (T, error)) (T, error) {
	m.mu.Lock()
	if m.entries == nil {
		m.entries = map[string]*entry{}
	}
	e, ok := m.entries[key]
	if !ok {
		e = &entry{}
		m.entries[key] = e
	}
	m.mu.Unlock()
	e.once.Do(func() { e.val, e.err = fetch() })
	v, _ := e.val.(T)
	return v, e.err
}
