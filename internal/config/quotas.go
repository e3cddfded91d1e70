package config

import (
	"fmt"
	"sort"

	"github.com/tenantkit/tenantkit/internal/awsdocs"
)

// Quota is one AWS service quota per account and region that tenants use
// up: its default, its page, what the account holds before any tenant, and
// what each tenant takes.
type Quota struct {
	// Name is the quota's name in the Service Quotas console.
	Name    string
	Service string
	Default int
	Page    string
	// Before is what an account holds already (its default VPC).
	Before    int
	PerTenant func(t *Tenant) int
}

func one(*Tenant) int { return 1 }

func database(t *Tenant) int {
	if t.Database.Enabled {
		return 1
	}
	return 0
}

// Quotas are the per-region quotas a tenant stack consumes, at AWS's
// defaults. An operator who had one raised declares the new value in the
// baseline stack (quotas: {<name>: <value>}).
var Quotas = []Quota{
	{Name: "VPCs per Region", Service: "vpc", Default: 5, Before: 1, PerTenant: one,
		Page: "https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html"},
	{Name: "Gateway VPC endpoints per Region", Service: "vpc", Default: 20, PerTenant: one,
		Page: "https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-limitations.html"},
	{Name: "Application Load Balancers per Region", Service: "elasticloadbalancing", Default: 50, PerTenant: one,
		Page: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html"},
	{Name: "DB instances", Service: "rds", Default: 40, PerTenant: database,
		Page: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Limits.html"},
	{Name: "DB subnet groups", Service: "rds", Default: 50, PerTenant: database,
		Page: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Limits.html"},
	{Name: "DB parameter groups", Service: "rds", Default: 50, PerTenant: database,
		Page: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Limits.html"},
	{Name: "Trails per region", Service: "cloudtrail", Default: 5, Before: 1, // the baseline's shared trail
		PerTenant: func(t *Tenant) int {
			if t.TrailMode == "dedicated" {
				return 1
			}
			return 0
		},
		Page: "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/WhatIsCloudTrail-Limits.html"},
	// The tenant's alert routes (GuardDuty's and awsdocs.Routes), and in
	// the shared trail mode the two rules that copy its records of the
	// account trail into its group (components/logging/copies.go).
	{Name: "Rules per event bus", Service: "events", Default: 300,
		PerTenant: func(t *Tenant) int {
			n := 1 + len(awsdocs.Routes)
			if t.TrailMode != "dedicated" {
				n += 2
			}
			return n
		},
		Page: "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html"},
}

// CapacityQuota is the name a cell's capacity goes by among its quotas.
const CapacityQuota = "capacity"

// CellProblems says which of the cell's quotas and what of its capacity
// the tenants (the cell's, not deleted) would exceed, each naming the
// quota, the use, the limit and how to raise it. cell nil: one account for
// the region at AWS's defaults.
func CellProblems(cell *Cell, tenants []*Tenant) []error {
	where, file, raised := "the region", "the baseline stack", map[string]int(nil)
	if cell != nil {
		where, file, raised = "cell "+cell.Name, "baseline/Pulumi."+cell.Name+".yaml", cell.Quotas
		if cell.AccountID != "" {
			where += " (account " + cell.AccountID + ")"
		}
	}
	var errs []error
	live := 0
	for _, t := range tenants {
		if t.Lifecycle.State != StateDeleted {
			live++
		}
	}
	if cell != nil && cell.Capacity > 0 && live > cell.Capacity {
		errs = append(errs, &QuotaExceeded{Quota: CapacityQuota, msg: fmt.Sprintf("capacity of %s: %d tenants, %d allowed: raise capacity in %s or place the tenant in another cell (tenantctl onboard --cell)",
			where, live, cell.Capacity, file)})
	}
	for _, q := range Quotas {
		limit := q.Default
		if v, ok := raised[q.Name]; ok {
			limit = v
		}
		use := q.Before
		var names []string
		for _, t := range tenants {
			if t.Lifecycle.State == StateDeleted {
				continue
			}
			if n := q.PerTenant(t); n > 0 {
				use += n
				names = append(names, t.TenantID)
			}
		}
		if use > limit {
			sort.Strings(names)
			errs = append(errs, &QuotaExceeded{Quota: q.Name, msg: fmt.Sprintf("quota %q (%s): %d needed in %s (%d before any tenant, then %v), %d allowed: request an increase in Service Quotas and declare it in %s (quotas: {%q: <value>}), or place the tenant in another cell; %s",
				q.Name, q.Service, use, where, q.Before, names, limit, file, q.Name, q.Page)})
		}
	}
	return errs
}

// QuotaExceeded is one quota the tenants would take past its limit.
type QuotaExceeded struct {
	Quota string // its name in config.Quotas
	msg   string
}

func (e *QuotaExceeded) Error() string { return e.msg }
