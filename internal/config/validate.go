package config

import (
	"errors"
	"fmt"
	"math"
	"net/netip"
	"regexp"
	"slices"
	"strings"
	"time"
)

var (
	tenantIDPattern = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$`)
	deployerPattern = regexp.MustCompile(`^arn:aws:iam::[0-9]{12}:(role|user)/[\w+=,.@/-]+$`)
	arnPattern      = regexp.MustCompile(`^arn:aws:iam::[0-9]{12}:(root|role/[\w+=,.@/-]+|user/[\w+=,.@/-]+)$`)
	certPattern     = regexp.MustCompile(`^arn:aws:acm:(ap-northeast-[13]):[0-9]{12}:certificate/[0-9a-f-]{36}$`)
	emailPattern    = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
	azIDPattern     = regexp.MustCompile(`^apne([13])-az([0-9])$`)
	// Major versions only; RDS resolves "16" to the current 16.x.
	engineMajorPattern = regexp.MustCompile(`^(1[3-9]|[2-9][0-9])$`)
	healthPathPattern  = regexp.MustCompile(`^/[A-Za-z0-9._~/%-]*$`) // at most 1024 characters (checked below)
	matcherPattern     = regexp.MustCompile(`^[2-4][0-9]{2}((-|,)[2-4][0-9]{2})*$`)
)

// MaxVpcPrefix is the smallest VPC: a /23 gives /27 subnets, the smallest a
// load balancer accepts.
const MaxVpcPrefix = 23

// ReservedTenantIDs cannot be tenant ids: they name the operator's own
// stacks, would be confused with AWS or Pulumi words, are tenantctl's
// command words (`offboard due` must never be read as tenant "due"), or
// name a file the fleet writes beside the tenants' reports (`verify --all`
// writes index.html; a tenant "index" would lose its page to it, #36 item 6).
var ReservedTenantIDs = []string{"admin", "all", "aws", "baseline", "default", "delete", "dev", "due", "help", "index", "list",
	"offboard", "onboard", "operator", "plan", "prod", "pulumi", "root", "shared", "stack", "suspend", "system", "tenant", "test", "verify"}

// ReservedTenantIDPrefixes cannot begin a tenant id: names built from the
// id would begin with them, and AWS refuses those names (EC2 API
// reference, CreateSecurityGroup: GroupName "cannot start with sg-").
var ReservedTenantIDPrefixes = []string{"sg-"}

// ValidateTenantID checks a tenant id as every command must before the id
// becomes part of a path: 3 to 32 lowercase letters, digits and single
// hyphens, not a reserved word. No valid id contains a dot or a slash.
func ValidateTenantID(id string) error {
	switch {
	case len(id) < 3 || len(id) > 32:
		return &FieldError{Field: "tenantId", Value: id, Fix: "use 3 to 32 characters: lowercase letters, digits and hyphens"}
	case !tenantIDPattern.MatchString(id) || strings.Contains(id, "--"):
		return &FieldError{Field: "tenantId", Value: id, Fix: "use lowercase letters, digits and single hyphens, starting and ending with a letter or digit"}
	case slices.ContainsFunc(ReservedTenantIDPrefixes, func(p string) bool { return strings.HasPrefix(id, p) }):
		return &FieldError{Field: "tenantId", Value: id, Fix: fmt.Sprintf("a tenant id may not begin with %s: AWS refuses the names built from it (security groups may not start with sg-); choose another id", strings.Join(ReservedTenantIDPrefixes, " or "))}
	case slices.Contains(ReservedTenantIDs, id):
		return &FieldError{Field: "tenantId", Value: id, Fix: fmt.Sprintf("%q is reserved; choose another id (reserved: %s)", id, strings.Join(ReservedTenantIDs, ", "))}
	}
	return nil
}

// Validate checks every field and returns all problems at once, each naming
// the field, the bad value and the fix.
func (t *Tenant) Validate() error {
	var errs []error
	bad := func(field string, value any, format string, args ...any) {
		errs = append(errs, &FieldError{Field: field, Value: fmt.Sprint(value), Fix: fmt.Sprintf(format, args...)})
	}

	// Identity.
	if err := ValidateTenantID(t.TenantID); err != nil {
		errs = append(errs, err)
	}
	if !slices.Contains([]string{"production", "staging", "development"}, t.Environment) {
		bad("environment", t.Environment, "use production, staging or development")
	}
	if t.Cell != "" {
		if err := ValidateCellName(t.Cell); err != nil {
			errs = append(errs, err)
		}
	}
	if t.Ring < 0 || t.Ring >= Rings {
		bad("ring", t.Ring, "use 0 (canaries, deployed first) to %d; the default is %d", Rings-1, DefaultRing)
	}

	// WP-07: data stays in Japan.
	switch t.Region {
	case RegionTokyo:
	case RegionOsaka:
		if !t.DisasterRecovery {
			bad("region", t.Region, "Osaka is allowed only for disaster recovery: set tenantkit:disasterRecovery: true, or use %s", RegionTokyo)
		}
	default:
		bad("region", t.Region, "customer data stays in Japan (whitepaper §7, WP-07): use %s (Tokyo), or %s (Osaka) with disasterRecovery: true", RegionTokyo, RegionOsaka)
	}

	// WP-19/WP-31: the network.
	vpc, err := netip.ParsePrefix(t.VpcCidr)
	switch {
	case err != nil || vpc.Masked() != vpc || !vpc.Addr().Is4():
		bad("vpcCidr", t.VpcCidr, "write an IPv4 network in CIDR form with no host bits, e.g. 10.20.0.0/20 (tenantctl onboard --cidr auto allocates one)")
	case !isRFC1918(vpc):
		bad("vpcCidr", t.VpcCidr, "use a private (RFC 1918) range inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16")
	case vpc.Bits() < 16 || vpc.Bits() > MaxVpcPrefix:
		bad("vpcCidr", t.VpcCidr, "use a prefix length from /16 to /%d: the VPC is cut into 16 subnets and a load balancer's subnets need /27 or larger (Elastic Load Balancing guide, \"Subnets for your load balancer\")", MaxVpcPrefix)
	default:
		for _, r := range t.AllReserved() {
			rp, err := netip.ParsePrefix(r)
			if err == nil && rp.Overlaps(vpc) {
				bad("vpcCidr", t.VpcCidr, "overlaps the operator's reserved range %s (WP-31); choose a range outside it", r)
			}
		}
	}
	for _, r := range t.ReservedCidrs {
		if p, err := netip.ParsePrefix(r); err != nil || p.Masked() != p {
			bad("reservedCidrs", r, "write IPv4 networks in CIDR form, e.g. 10.254.0.0/16")
		}
	}
	t.validateZones(bad)
	t.validateIngress(bad)
	if !slices.Contains([]string{"endpoints", "nat"}, t.EgressMode) {
		bad("egressMode", t.EgressMode, "use endpoints (private tiers reach only AWS services; the default) or nat (opt-in internet egress)")
	}
	for _, e := range t.InterfaceEndpoints {
		if !regexp.MustCompile(`^[a-z0-9.-]+$`).MatchString(e) {
			bad("interfaceEndpoints", e, "name the AWS service as in com.amazonaws.<region>.<service>, e.g. secretsmanager")
		}
	}
	if t.EndpointAzCount < 0 || t.EndpointAzCount > len(t.AvailabilityZoneIDs) {
		bad("endpointAzCount", t.EndpointAzCount, "use 1 to %d (the number of availability zones), or 0 for all", len(t.AvailabilityZoneIDs))
	}
	switch {
	case t.AppPort < 1 || t.AppPort > 65535:
		bad("appPort", t.AppPort, "%d is no TCP port: use an unprivileged port from 1024 to 65535", t.AppPort)
	case t.AppPort < 1024:
		bad("appPort", t.AppPort, "%d is a privileged port (below 1024): use one from 1024 to 65535", t.AppPort)
	case t.AppPort == 3389:
		bad("appPort", t.AppPort, "3389 is RDP's port, which no tier may open (WP-18): use another from 1024 to 65535")
	}
	t.validateNaclEntries(bad)

	// Logging and records.
	// §42 promises the access logs stay viewable until the customer
	// deletes them: no expiry. The tenant's log groups go with the tenant
	// (§10), which is the customer's deletion.
	if t.LogRetentionDays != 0 {
		bad("logRetentionDays", t.LogRetentionDays, "use 0 (never expire): the whitepaper (§42) promises access logs stay viewable until the customer deletes them, and they are deleted with the tenant (§10)")
	}
	if !slices.Contains([]string{"shared", "dedicated"}, t.TrailMode) {
		bad("trailMode", t.TrailMode, "use shared (the baseline trail covers this tenant; the default) or dedicated (a trail of the tenant's own; 5 per account and region)")
	}
	if !slices.Contains([]string{"GOVERNANCE", "COMPLIANCE"}, t.ObjectLockMode) {
		bad("objectLockMode", t.ObjectLockMode, "use COMPLIANCE (production) or GOVERNANCE")
	}
	if t.ObjectLockDays < 1 || t.ObjectLockDays > 3650 {
		bad("objectLockDays", t.ObjectLockDays, "use 1 to 3650 days of default Object Lock retention")
	}

	// Keys.
	if t.KeyRotationDays < 90 || t.KeyRotationDays > 2560 {
		bad("keyRotationDays", t.KeyRotationDays, "KMS rotates every 90 to 2560 days; use a value in that range (365 is the default)")
	}
	if t.KeyDeletionWindowDays < 7 || t.KeyDeletionWindowDays > 30 {
		bad("keyDeletionWindowDays", t.KeyDeletionWindowDays, "KMS accepts a deletion window of 7 to 30 days")
	}

	// Data.
	if len(t.DataClassifications) == 0 {
		bad("dataClassifications", "[]", "list at least one of %s", strings.Join(Classifications, ", "))
	}
	seen := map[string]bool{}
	for _, c := range t.DataClassifications {
		if !slices.Contains(Classifications, c) {
			bad("dataClassifications", c, "use %s (WP-12)", strings.Join(Classifications, ", "))
		}
		if seen[c] {
			bad("dataClassifications", c, "list each classification once")
		}
		seen[c] = true
	}
	if t.NoncurrentVersionDays < 1 || t.NoncurrentVersionDays > 3650 {
		bad("noncurrentVersionDays", t.NoncurrentVersionDays, "use 1 to 3650 days before noncurrent object versions expire")
	}
	if t.Database.Enabled {
		d := t.Database
		if !strings.HasPrefix(d.InstanceClass, "db.") {
			bad("database.instanceClass", d.InstanceClass, "use an RDS instance class such as db.t4g.medium")
		}
		if d.AllocatedStorageGB < 20 || d.AllocatedStorageGB > 65536 {
			bad("database.allocatedStorageGb", d.AllocatedStorageGB, "use 20 to 65536")
		}
		if d.BackupRetentionDays < 1 || d.BackupRetentionDays > 35 {
			bad("database.backupRetentionDays", d.BackupRetentionDays, "automated backups must be on: use 1 to 35 days")
		}
		if d.Port < 1024 || d.Port > 65535 || d.Port == t.AppPort {
			bad("database.port", d.Port, "use an unprivileged port from 1024 to 65535, different from appPort")
		}
		if !engineMajorPattern.MatchString(d.EngineVersion) {
			bad("database.engineVersion", d.EngineVersion, "write the PostgreSQL major version only, e.g. \"16\": RDS applies minor versions itself (autoMinorVersionUpgrade) and refuses new instances on retired minors")
		}
	}

	// Application tier.
	if m := certPattern.FindStringSubmatch(t.CertificateArn); m == nil {
		bad("certificateArn", t.CertificateArn, "set the ACM certificate ARN of the tenant's HTTPS listener, arn:aws:acm:%s:<account>:certificate/<id>", t.Region)
	} else if m[1] != t.Region && (t.Region == RegionTokyo || t.Region == RegionOsaka) {
		// Judged against an allowed region only: with a region outside
		// Japan, the region is the error, said alone.
		bad("certificateArn", t.CertificateArn, "the certificate must be in the stack's region %s", t.Region)
	}
	if !slices.Contains(AllowedTLSPolicies, t.TLSPolicy) {
		bad("tlsPolicy", t.TLSPolicy, "use one of %s (TLS 1.2 or later, ciphers within "+ReferenceTLSPolicy+"'s, WP-21.2)", strings.Join(AllowedTLSPolicies, ", "))
	}
	if !regexp.MustCompile(`^[a-z][a-z0-9-]*\.[a-z0-9]+$`).MatchString(t.InstanceType) {
		bad("instanceType", t.InstanceType, "use an EC2 instance type such as t3.small")
	}
	if !strings.HasPrefix(t.ImageID, "ami-") && !strings.HasPrefix(t.ImageID, "resolve:ssm:") {
		bad("imageId", t.ImageID, "use an AMI id (ami-...) or resolve:ssm:<parameter>")
	}
	c := t.Capacity
	if c.Min < 1 || c.Max < c.Min || c.Desired < c.Min || c.Desired > c.Max || c.Max > 20 {
		bad("capacity", fmt.Sprintf("min=%d max=%d desired=%d", c.Min, c.Max, c.Desired), "use 1 <= min <= desired <= max <= 20")
	}
	for name, v := range map[string]float64{"alarms.cpuPercent": t.Alarms.CPUPercent, "alarms.memoryPercent": t.Alarms.MemoryPercent, "alarms.diskPercent": t.Alarms.DiskPercent} {
		if v <= 0 || v > 100 {
			bad(name, v, "use a threshold above 0 and at most 100 percent")
		}
	}
	for _, e := range t.AlertEmails {
		if !emailPattern.MatchString(e) {
			bad("alertEmails", e, "write an e-mail address")
		}
	}
	if !healthPathPattern.MatchString(t.HealthCheck.Path) || len(t.HealthCheck.Path) > 1024 {
		bad("healthCheck.path", t.HealthCheck.Path, "write the URL path the application answers on its port, starting with /, e.g. /healthz")
	}
	if !matcherPattern.MatchString(t.HealthCheck.Matcher) {
		bad("healthCheck.matcher", t.HealthCheck.Matcher, "write the HTTP codes of a healthy answer: 200, 200,204 or 200-299")
	}

	// Access.
	for _, a := range t.AdminPrincipalArns {
		if !arnPattern.MatchString(a) {
			bad("adminPrincipalArns", a, "write an IAM role, user or account-root ARN")
		}
	}
	for _, a := range t.LogReaderPrincipalArns {
		if !arnPattern.MatchString(a) {
			bad("logReaderPrincipalArns", a, "write an IAM role, user or account-root ARN")
		}
	}
	for _, a := range t.DeployerPrincipalArns {
		if !deployerPattern.MatchString(a) {
			bad("deployerPrincipalArns", a, "write the IAM role or user ARN that runs Pulumi (arn:aws:iam::<account>:role/<path/name>), not an assumed-role session or the account root")
		}
	}
	for _, a := range t.RefreshPrincipalArns {
		if !deployerPattern.MatchString(a) {
			bad("refreshPrincipalArns", a, "write the IAM role ARN that runs pulumi preview --refresh (the drift check's role), not an assumed-role session or the account root")
		}
	}

	// Lifecycle.
	l := t.Lifecycle
	if !slices.Contains([]string{StateActive, StateSuspended, StateDeleting, StateDeleted}, l.State) {
		bad("lifecycle.state", l.State, "use active, suspended, deleting or deleted (tenantctl offboard sets it)")
	}
	for name, d := range map[string]string{"lifecycle.cancelledOn": l.CancelledOn, "lifecycle.suspendOn": l.SuspendOn, "lifecycle.deleteBy": l.DeleteBy} {
		if d == "" {
			continue
		}
		if _, err := time.Parse(time.DateOnly, d); err != nil {
			bad(name, d, "write a JST date as YYYY-MM-DD")
		}
	}
	if l.State != StateActive && l.CancelledOn == "" {
		bad("lifecycle.cancelledOn", "", "a %s tenant needs its cancellation date; run tenantctl offboard <tenant> --cancelled-on YYYY-MM-DD", l.State)
	}
	sortErrs(errs)
	return errors.Join(errs...)
}

// validateNaclEntries: every tier's network ACL must fit the account's
// quota of entries per direction, or AWS refuses the entries mid-deploy.
func (t *Tenant) validateNaclEntries(bad func(string, any, string, ...any)) {
	if t.NaclEntryLimit < DefaultNaclEntryLimit || t.NaclEntryLimit > MaxNaclEntryLimit {
		bad("naclEntryLimit", t.NaclEntryLimit, "use the account's quota of rules per network ACL: %d (AWS's default) to %d", DefaultNaclEntryLimit, MaxNaclEntryLimit)
		return
	}
	for _, tier := range Tiers {
		n := NaclEntries(t, tier)
		for _, d := range []struct {
			dir   string
			count int
		}{{"inbound", n.Inbound}, {"outbound", n.Outbound}} {
			if d.count > t.NaclEntryLimit {
				bad("ingressCidrs", strings.Join(t.IngressCidrs, ","), "the %s network ACL would need %d %s entries, above the quota of %d (naclEntryLimit): list fewer or wider ranges, or raise the quota with AWS (up to %d) and set naclEntryLimit", tier, d.count, d.dir, t.NaclEntryLimit, MaxNaclEntryLimit)
			}
		}
	}
}

// NaclCount is the number of entries of one tier's network ACL by direction.
type NaclCount struct{ Inbound, Outbound int }

// NaclEntries counts the entries components/network derives for a tier (a
// test there holds the two together): the inbound denies (22 and 3389; 22
// only on the public tier, where 3389 is inside the load balancer's and NAT
// gateway's return range), then each flow and its return path per zone
// and per ingress range.
func NaclEntries(t *Tenant, tier string) NaclCount {
	z, n := len(t.AvailabilityZoneIDs), len(t.IngressCidrs)
	nat := 0
	if t.EgressMode == "nat" {
		nat = 1
	}
	switch tier {
	case TierPublic:
		return NaclCount{Inbound: 1 + 2*n + z + nat*(z+1), Outbound: n + z + nat*(z+1)}
	case TierPrivate:
		return NaclCount{Inbound: 2 + 2*z + 2, Outbound: 2*z + 2}
	case TierIsolated:
		return NaclCount{Inbound: 2 + z, Outbound: z}
	}
	return NaclCount{}
}

// regionZones are the usable zone IDs of the allowed regions, as the
// errors suggest them (EC2 user guide, "Availability Zone IDs for your AWS
// resources"; apne1-az3 is constrained).
var regionZones = map[string]string{RegionTokyo: "apne1-az1, apne1-az2, apne1-az4", RegionOsaka: "apne3-az1, apne3-az2, apne3-az3"}

func (t *Tenant) validateZones(bad func(string, any, string, ...any)) {
	if len(t.AvailabilityZoneIDs) < 2 || len(t.AvailabilityZoneIDs) > 3 {
		bad("availabilityZoneIds", strings.Join(t.AvailabilityZoneIDs, ","), "list 2 or 3 zone IDs (load balancers need two zones)")
	}
	want := map[string]string{RegionTokyo: "1", RegionOsaka: "3"}[t.Region]
	seen := map[string]bool{}
	for _, z := range t.AvailabilityZoneIDs {
		m := azIDPattern.FindStringSubmatch(z)
		switch {
		case strings.HasPrefix(z, "ap-northeast-"):
			bad("availabilityZoneIds", z, "zone letters map to different zones in each account; use zone IDs (apne1-az1, apne1-az2, apne1-az4)")
		case m == nil:
			bad("availabilityZoneIds", z, "write a zone ID such as apne1-az1")
		case want != "" && m[1] != want:
			bad("availabilityZoneIds", z, "the zone is not in the stack's region %s; its zone IDs are %s", t.Region, regionZones[t.Region])
		case z == "apne1-az3":
			bad("availabilityZoneIds", z, "apne1-az3 is constrained and new accounts cannot launch in it; use apne1-az1, apne1-az2 and apne1-az4")
		case seen[z]:
			bad("availabilityZoneIds", z, "list each zone once")
		}
		seen[z] = true
	}
}

func (t *Tenant) validateIngress(bad func(string, any, string, ...any)) {
	if len(t.IngressCidrs) == 0 {
		bad("ingressCidrs", "[]", "list the CIDRs allowed to reach the tenant's HTTPS endpoint, e.g. the customer's office range")
	}
	var ok []netip.Prefix
	for _, c := range t.IngressCidrs {
		p, err := netip.ParsePrefix(c)
		switch {
		case err != nil || p.Masked() != p:
			bad("ingressCidrs", c, "write a network in CIDR form with no host bits, e.g. 203.0.113.0/24")
			continue
		case !p.Addr().Is4():
			// The VPC has no IPv6 range and the groups' rules and the
			// ACLs' entries take IPv4 (cidrIpv4, cidrBlock); an IPv6 range,
			// mapped (::ffff:0.0.0.0/96 is the IPv4 internet) or not, would
			// land where it cannot mean what it says (#36 item 5).
			bad("ingressCidrs", c, "IPv6 is not supported (the tenant's VPC, security groups and network ACLs are IPv4 only): list the customer's IPv4 ranges, e.g. 203.0.113.0/24")
			continue
		}
		ok = append(ok, p)
	}
	if t.AllowInternetIngress {
		return
	}
	// The union decides, not each string: 0.0.0.0/1 and 128.0.0.0/1 are
	// the whole internet too.
	var list []string
	for _, p := range ok {
		list = append(list, p.String())
	}
	if len(ok) > 0 && unionBits(ok) > float64(32-MinIngressPrefix4) {
		bad("ingressCidrs", strings.Join(list, ","), "together these ranges cover more than a /%d (toward the whole internet, 0.0.0.0/0); list the customer's own ranges, or set tenantkit:allowInternetIngress: true to opt in explicitly", MinIngressPrefix4)
	}
}

// MinIngressPrefix4: the union of a stack's ranges may cover at most a /8
// without allowInternetIngress, far above any customer's own ranges.
const MinIngressPrefix4 = 8

// unionBits is log2 of the number of addresses the prefixes cover together
// (overlaps counted once): CIDR blocks are nested or disjoint, so dropping
// the nested ones leaves disjoint blocks to add up.
func unionBits(ps []netip.Prefix) float64 {
	slices.SortFunc(ps, func(a, b netip.Prefix) int { return a.Bits() - b.Bits() })
	var kept []netip.Prefix
	for _, p := range ps {
		if !slices.ContainsFunc(kept, func(k netip.Prefix) bool { return k.Overlaps(p) }) {
			kept = append(kept, p)
		}
	}
	total := 0.0
	for _, p := range kept {
		total += math.Exp2(float64(p.Addr().BitLen() - p.Bits()))
	}
	return math.Log2(total)
}

// AllReserved returns the operator's reserved ranges plus the stack's own.
func (t *Tenant) AllReserved() []string {
	return append(slices.Clone(OperatorReservedCidrs), t.ReservedCidrs...)
}

func isRFC1918(p netip.Prefix) bool {
	for _, r := range []string{"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"} {
		rp := netip.MustParsePrefix(r)
		if rp.Bits() <= p.Bits() && rp.Contains(p.Addr()) {
			return true
		}
	}
	return false
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = fmt.Sprint(n)
	}
	return strings.Join(s, ", ")
}

func sortErrs(errs []error) {
	slices.SortStableFunc(errs, func(a, b error) int { return strings.Compare(a.Error(), b.Error()) })
}

// DocumentationAccount is the account AWS's documentation writes in its
// examples (and the example stacks' placeholders use).
const DocumentationAccount = "111122223333"

// CertificateUsableIn says whether the listener's certificate can serve a
// load balancer the deploy makes in account: an ACM certificate of the
// tenant's region in that same account (ELB takes certificates of its own
// region, https://docs.aws.amazon.com/elasticloadbalancing/latest/application/https-listener-certificates.html;
// ACM certificates are not shared between accounts,
// https://docs.aws.amazon.com/acm/latest/userguide/acm-services.html).
// Checked when the deploy's account is known, before anything is created:
// a placeholder would otherwise fail the HTTPS listener halfway through.
func (t *Tenant) CertificateUsableIn(account string) error {
	parts := strings.SplitN(t.CertificateArn, ":", 6)
	if len(parts) != 6 || parts[2] != "acm" {
		return &FieldError{Field: "certificateArn", Value: t.CertificateArn, Fix: "write the ARN of an ACM certificate (arn:aws:acm:<region>:<account>:certificate/<id>)"}
	}
	switch {
	case parts[4] == DocumentationAccount && account != DocumentationAccount:
		return &FieldError{Field: "certificateArn", Value: t.CertificateArn,
			Fix: "this is the example stacks' placeholder (AWS's documentation account " + DocumentationAccount + "); put the ARN of the tenant's ACM certificate in " + t.Region + " of account " + account}
	case parts[4] != account:
		return &FieldError{Field: "certificateArn", Value: t.CertificateArn, Fix: "the certificate is account " + parts[4] + "'s; the load balancer is made in account " + account + ", which can use only its own certificates"}
	case parts[3] != t.Region:
		return &FieldError{Field: "certificateArn", Value: t.CertificateArn, Fix: "the certificate is in " + parts[3] + "; the load balancer needs one in " + t.Region}
	}
	return nil
}
