package stackfile

import (
	"errors"
	"fmt"
	"os"

	"github.com/tenantkit/tenantkit/internal/config"
)

// Cells reads every baseline stack of dir as a cell (config.Cell), sorted
// by name; none when dir is "" or holds no baseline stack.
func Cells(dir string) ([]config.Cell, error) {
	if dir == "" {
		return nil, nil
	}
	names, err := List(dir)
	if err != nil {
		return nil, err
	}
	var out []config.Cell
	for _, n := range names {
		raw, err := ReadRaw(Path(dir, n))
		if err != nil {
			return nil, err
		}
		b, err := config.LoadBaseline(func(k string) (string, bool) {
			v, ok := raw[config.BaselineNamespace+":"+k]
			return v, ok
		})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", Path(dir, n), err)
		}
		out = append(out, config.Cell{Name: n, Baseline: b})
	}
	return out, nil
}

// CellOf reads the cell of t from the baseline stacks of dir
// (config.ResolveCell): nil, with no error, where no cell is known: dir is
// "" or does not exist (a checkout without the baselines, a unit test), or
// holds no baseline stack and t names no cell.
func CellOf(dir string, t *config.Tenant) (*config.Cell, error) {
	resolve, err := Resolver(dir)
	if err != nil {
		return nil, err
	}
	return resolve(t)
}

// Resolver reads the cells of dir once and finds each tenant's, as CellOf
// does.
func Resolver(dir string) (func(t *config.Tenant) (*config.Cell, error), error) {
	if _, err := os.Stat(dir); dir == "" || errors.Is(err, os.ErrNotExist) {
		return func(*config.Tenant) (*config.Cell, error) { return nil, nil }, nil
	}
	cells, err := Cells(dir)
	if err != nil {
		return nil, err
	}
	return func(t *config.Tenant) (*config.Cell, error) {
		if len(cells) == 0 && t.Cell == "" {
			return nil, nil
		}
		c, err := config.ResolveCell(cells, t)
		if err != nil {
			return nil, fmt.Errorf("tenant %s: %w", t.TenantID, err)
		}
		return &c, nil
	}, nil
}

// QuotaProblems counts t with the other tenants of its cell in dir against
// the cell's quotas and capacity (config.QuotaProblems), with the values
// the operator raised in the cell's baseline stack in baselineDir ("" or
// none: AWS's defaults, one account for the region).
func QuotaProblems(dir, baselineDir string, t *config.Tenant) ([]error, error) {
	cell, err := CellOf(baselineDir, t)
	if err != nil {
		return nil, err
	}
	fleet, err := Fleet(dir, cell, t.Region, t.TenantID)
	if err != nil {
		return nil, err
	}
	return config.CellProblems(cell, append(fleet, t)), nil
}

// Fleet reads every readable stack of dir in cell (nil: every stack of the
// region) but skip, not deleted: what the cell's quotas and capacity are
// counted against, and who shares its account.
func Fleet(dir string, cell *config.Cell, region, skip string) ([]*config.Tenant, error) {
	names, err := List(dir)
	if err != nil {
		return nil, err
	}
	var out []*config.Tenant
	for _, n := range names {
		if n == skip {
			continue
		}
		t, _, err := Load(dir, n)
		if err != nil {
			return nil, err
		}
		if t.Lifecycle.State == config.StateDeleted {
			continue
		}
		if (cell == nil && t.Region == region) || (cell != nil && cell.Holds(t)) {
			out = append(out, t)
		}
	}
	return out, nil
}

// BaselineOf is the baseline stack of t's cell (CellOf); nil when there is
// none.
func BaselineOf(dir string, t *config.Tenant) (*config.Baseline, error) {
	c, err := CellOf(dir, t)
	if c == nil || err != nil {
		return nil, err
	}
	return c.Baseline, nil
}
