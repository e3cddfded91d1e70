package verify

import "sync"

// Memo lets checks share a read: each (kind, key) is fetched once per
// target, however many checks need it, so the call count does not grow
// with the number of checks.
//
// A target's own memo keeps a failed read too: every check that needs it
// reports the same ERROR without asking a failing endpoint again. A memo
// shared between the tenants of a fleet (ForgetErrors) keeps only
// successes: one tenant's deadline or throttle must not become every
// other tenant's ERROR.
type Memo struct {
	// ForgetErrors: a failed read is not kept; the next caller reads again.
	ForgetErrors bool

	mu      sync.Mutex
	entries map[string]*entry
}

type entry struct {
	mu   sync.Mutex
	done bool
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
	// Callers of one key wait for the first; when it fails and failures
	// are forgotten, the next one reads again.
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.done {
		v, err := fetch()
		if err != nil && m.ForgetErrors {
			return v, err
		}
		e.val, e.err, e.done = v, err, true
	}
	v, _ := e.val.(T)
	return v, e.err
}
