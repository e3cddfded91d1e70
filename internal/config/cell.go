package config

import (
	"fmt"
	"net/netip"
	"regexp"
	"strings"
)

// A cell is one AWS account of the provider's organization, in one
// region, with its own baseline stack (baseline/Pulumi.<cell>.yaml): the
// unit of isolation and of scale. A tenant's stack file names its cell
// (tenantkit:cell); a cell of capacity 1 is the silo model, a larger one
// the pool model.

// DefaultAddressPool is where a cell's tenant ranges come from unless its
// baseline names another pool.
const DefaultAddressPool = "10.16.0.0/12"

var (
	cellPattern    = regexp.MustCompile(`^[a-z][a-z0-9-]{1,30}[a-z0-9]$`)
	accountPattern = regexp.MustCompile(`^[0-9]{12}$`)
	roleArnPattern = regexp.MustCompile(`^arn:aws:iam::([0-9]{12}):role/[\w+=,.@/-]+$`)
)

// Cell is a baseline stack seen as the place tenants live.
type Cell struct {
	Name string
	*Baseline
}

// ValidateCellName checks a cell's name (a baseline stack's name).
func ValidateCellName(name string) error {
	if !cellPattern.MatchString(name) {
		return &FieldError{Field: "cell", Value: name, Fix: "name a baseline stack: 3-32 lowercase letters, digits and hyphens, beginning with a letter (baseline/Pulumi.<cell>.yaml)"}
	}
	return nil
}

// Pool is the cell's address pool.
func (c *Baseline) Pool() netip.Prefix {
	p, _ := netip.ParsePrefix(c.AddressPool)
	return p.Masked()
}

// Holds says whether tenant t lives in cell c: it names c, or it names
// no cell and c is a baseline of its region (a fleet of one account per
// region; ResolveCell refuses the ambiguity of several).
func (c Cell) Holds(t *Tenant) bool {
	if t.Cell != "" {
		return t.Cell == c.Name
	}
	return c.Region == t.Region
}

// ResolveCell finds the cell of t among cells: the one it names, or the
// one baseline of its region when it names none.
func ResolveCell(cells []Cell, t *Tenant) (Cell, error) {
	if t.Cell != "" {
		for _, c := range cells {
			if c.Name == t.Cell {
				if c.Region != t.Region {
					return Cell{}, &FieldError{Field: "cell", Value: t.Cell, Fix: fmt.Sprintf("cell %s is in %s, the tenant in %s: name a cell of the tenant's region", c.Name, c.Region, t.Region)}
				}
				return c, nil
			}
		}
		return Cell{}, &FieldError{Field: "cell", Value: t.Cell, Fix: fmt.Sprintf("no baseline stack baseline/Pulumi.%s.yaml: name one of %s", t.Cell, cellNames(cells))}
	}
	var in []Cell
	for _, c := range cells {
		if c.Region == t.Region {
			in = append(in, c)
		}
	}
	switch len(in) {
	case 0:
		return Cell{}, &FieldError{Field: "cell", Value: "", Fix: fmt.Sprintf("no baseline stack is in %s: add one (baseline/Pulumi.<cell>.yaml) before its tenants", t.Region)}
	case 1:
		return in[0], nil
	}
	return Cell{}, &FieldError{Field: "cell", Value: "", Fix: fmt.Sprintf("%s has %d cells (%s): name the tenant's (tenantkit:cell)", t.Region, len(in), cellNames(in))}
}

func cellNames(cells []Cell) string {
	var names []string
	for _, c := range cells {
		names = append(names, c.Name)
	}
	if len(names) == 0 {
		return "none (there is no baseline stack)"
	}
	return strings.Join(names, ", ")
}

// validateCell checks the cell's own keys.
func (c *Baseline) validateCell(bad func(field string, value any, fix string)) {
	if c.AccountID != "" && !accountPattern.MatchString(c.AccountID) {
		bad("accountId", c.AccountID, "write the cell's 12-digit AWS account id")
	}
	if c.RoleArn != "" {
		m := roleArnPattern.FindStringSubmatch(c.RoleArn)
		switch {
		case m == nil:
			bad("roleArn", c.RoleArn, "write the ARN of the role the pipelines assume in the cell (arn:aws:iam::<account>:role/<path/name>)")
		case c.AccountID == "":
			bad("accountId", "", "a cell reached through roleArn names its account too, so the account is checked before anything is read or changed")
		case m[1] != c.AccountID:
			bad("roleArn", c.RoleArn, fmt.Sprintf("the role is in account %s, the cell is account %s: name a role of the cell's own account", m[1], c.AccountID))
		}
	}
	if p, err := netip.ParsePrefix(c.AddressPool); err != nil || !p.Addr().Is4() || p.Bits() > 24 {
		bad("addressPool", c.AddressPool, "write an IPv4 CIDR of /24 or larger, e.g. "+DefaultAddressPool)
	}
	if c.Capacity < 0 {
		bad("capacity", c.Capacity, "write how many tenants the cell takes (1: one tenant per account), or 0 for as many as its quotas allow")
	}
}
