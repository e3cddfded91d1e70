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

// QuotaProblems says which quotas the tenants (one region's, not deleted)
// would exceed, each naming the quota, the use, the limit and how to raise
// it; raised holds the values the operator declared in the baseline.
func QuotaProblems(tenants []*Tenant, raised map[string]int) []error {
	var errs []error
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
			errs = append(errs, &QuotaExceeded{Quota: q.Name, msg: fmt.Sprintf("quota %q (%s): %d needed in the region (%d before any tenant, then %v), %d allowed: request an increase in Service Quotas and declare it in the baseline stack (quotas: {%q: <value>}); %s",
				q.Name, q.Service, use, q.Before, names, limit, q.Name, q.Page)})
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
