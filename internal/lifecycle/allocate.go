package lifecycle

import (
	"errors"
	"fmt"
	"net/netip"

	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/safefile"
)

// DefaultPool is where tenant VPC ranges come from; DefaultPrefix their size.
const (
	DefaultPool   = "10.16.0.0/12"
	DefaultPrefix = 20
)

// ErrPoolExhausted: no free range of the size is left in the pool.
var ErrPoolExhausted = errors.New("the CIDR pool is exhausted")

// Allocate returns the first block of the given prefix length in pool that
// overlaps none of taken and none of reserved.
func Allocate(pool netip.Prefix, bits int, taken, reserved []netip.Prefix) (netip.Prefix, error) {
	pool = pool.Masked()
	if !pool.Addr().Is4() || bits < pool.Bits() || bits > 28 {
		return netip.Prefix{}, fmt.Errorf("cannot cut /%d blocks out of the pool %s: use a prefix from /%d to /28", bits, pool, pool.Bits())
	}
	block := uint32(1) << (32 - bits)
	start := be(pool.Addr())
	count := uint64(1) << (bits - pool.Bits())
next:
	for i := uint64(0); i < count; i++ {
		cand := netip.PrefixFrom(addr(start+uint32(i)*block), bits)
		for _, p := range append(taken[:len(taken):len(taken)], reserved...) {
			if p.Overlaps(cand) {
				continue next
			}
		}
		return cand, nil
	}
	return netip.Prefix{}, fmt.Errorf("%w: no free /%d in %s (%d stacks hold ranges in it): widen the pool with --pool or use a smaller --cidr-prefix", ErrPoolExhausted, bits, pool, len(taken))
}

func be(a netip.Addr) uint32 {
	b := a.As4()
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

func addr(v uint32) netip.Addr {
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

// Reserved are the operator's ranges plus a tenant's own reservedCidrs.
func Reserved(t *config.Tenant) []netip.Prefix {
	var out []netip.Prefix
	for _, r := range t.AllReserved() {
		if p, err := netip.ParsePrefix(r); err == nil {
			out = append(out, p)
		}
	}
	return out
}

// Acquire takes the lock of a directory (safefile.Lock): the stacks
// directory, or the evidence directory.
func Acquire(dir string) (*safefile.Lock, error) { return safefile.Acquire(dir) }
