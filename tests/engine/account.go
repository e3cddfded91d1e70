package engine

import "github.com/tenantkit/tenantkit/tests/awsprovider"

// The engine suite's account is the test provider's in-memory account
// (tests/awsprovider): the same provider the journey serves as a plugin,
// there backed by moto.
type (
	Account = awsprovider.Account
	Call    = awsprovider.Call
	Live    = awsprovider.Live
)

var (
	NewAccount = awsprovider.NewAccount
	AWSVersion = awsprovider.AWSVersion
)

const (
	CallerRole      = awsprovider.CallerRole
	ELBAccountTokyo = awsprovider.ELBAccountTokyo
)
