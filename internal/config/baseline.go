package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
)

// BaselineNamespace is the baseline project's config namespace.
const BaselineNamespace = "tenantkit-baseline"

// Baseline is the account baseline stack's configuration: one stack per AWS account
// and region (stacks in baseline/Pulumi.<stack>.yaml). Each is a cell of the
// fleet (cell.go): the stack's name is the cell's, and the tenants whose
// stack files name it live in its account.
type Baseline struct {
	Region string `json:"region"`
	// AccountID is the cell's AWS account: deploys (the provider's
	// allowedAccountIds) and verify (sts:GetCallerIdentity) refuse any
	// other before anything is read or changed. Empty: the account of the
	// credentials the pipeline runs with (a fleet of one account).
	AccountID string `json:"accountId"`
	// RoleArn is the role the pipelines assume in the cell's account (the
	// provider's assumeRole for deploys, sts:AssumeRole for verify). Empty:
	// the pipeline's own credentials are the cell's.
	RoleArn string `json:"roleArn"`
	// AddressPool is where onboarding cuts the cell's tenants' VPC ranges
	// from; ranges never overlap anywhere in the fleet (cells may be peered
	// or share a transit network).
	AddressPool string `json:"addressPool"`
	// Capacity is how many tenants the cell takes (1: the silo model, one
	// tenant per account); 0: as many as its quotas allow.
	Capacity int `json:"capacity"`
	// Password policy minimums (WP-15).
	PasswordMinLength  int `json:"passwordMinLength"`
	PasswordMaxAgeDays int `json:"passwordMaxAgeDays"`
	PasswordReuse      int `json:"passwordReusePrevention"`
	// SharedTrail builds the account trail that covers the data buckets of
	// every tenant in trailMode shared.
	SharedTrail bool `json:"sharedTrail"`
	// TenantStacksDir holds the tenant stacks whose buckets the shared
	// trail covers.
	TenantStacksDir  string `json:"tenantStacksDir"`
	LogRetentionDays int    `json:"logRetentionDays"`
	ObjectLockMode   string `json:"objectLockMode"`
	ObjectLockDays   int    `json:"objectLockDays"`
	// SessionIdleMinutes ends idle Session Manager sessions.
	SessionIdleMinutes int `json:"sessionIdleMinutes"`

	// Adoption of the account singletons that often exist already: the
	// program imports them into the stack (and then brings them to the
	// declared settings) instead of failing to create them.
	// AdoptAutoScalingRole: AWSServiceRoleForAutoScaling exists in every
	// account that ever had an Auto Scaling group.
	AdoptAutoScalingRole bool `json:"adoptAutoScalingRole"`
	// AdoptGuardDutyDetector: the region's detector exists (enabled by
	// hand, by Organizations or by Control Tower).
	AdoptGuardDutyDetector bool `json:"adoptGuardDutyDetector"`
	// AdoptSessionPreferences: SSM-SessionManagerRunShell exists (saved
	// from the console).
	AdoptSessionPreferences bool `json:"adoptSessionPreferences"`
	// DeployerPrincipalArns run Pulumi for the baseline: the shared log
	// buckets' configuration deny exempts them. Empty: the role running
	// the deploy.
	DeployerPrincipalArns []string `json:"deployerPrincipalArns"`
	// Quotas are the per-region quotas the operator had raised, by their
	// name in Service Quotas (config.Quotas lists them with their
	// defaults): the fleet plan and onboarding count against these.
	Quotas map[string]int `json:"quotas"`
	// OperationsEmails receive the provider's operations topic: the §10
	// deadline watchdog's alerts (expect.WatchDefinition). At least one;
	// a rota address or two people, so a deadline never rests on one inbox.
	OperationsEmails []string `json:"operationsEmails"`

	// Fleet defaults, written by onboarding into each new tenant's stack
	// file (a stack's own file is what its program reads).
	// StateSecretsProvider encrypts every stack's secrets in the state:
	// awskms://<key id, alias or ARN>?region=<Japanese region> (Pulumi's
	// AWS KMS secrets provider), or "passphrase" where chosen on purpose.
	// Onboarding writes it with its encrypted data key into the stack file
	// (secretsprovider, encryptedkey), so no Pulumi step falls back to the
	// backend's default (a passphrase with a fresh salt on a file-backed
	// state). Empty: not declared, and tenantctl says so at onboarding.
	StateSecretsProvider string `json:"stateSecretsProvider"`
	// TenantDeployerPrincipalArns and TenantRefreshPrincipalArns are a new
	// tenant's deployerPrincipalArns and refreshPrincipalArns: the roles of
	// the deploy and drift pipelines. A stack without them takes each
	// deploy's caller as its deployer, so another role's preview computes
	// other bucket policies (WP-17's plan rule fails such a stack).
	TenantDeployerPrincipalArns []string `json:"tenantDeployerPrincipalArns"`
	TenantRefreshPrincipalArns  []string `json:"tenantRefreshPrincipalArns"`
}

// BaselineDefaults are the secure defaults.
func BaselineDefaults() *Baseline {
	return &Baseline{
		Region: RegionTokyo, AddressPool: DefaultAddressPool, PasswordMinLength: 14, PasswordMaxAgeDays: 90, PasswordReuse: 24,
		SharedTrail: true, TenantStacksDir: "../stacks", LogRetentionDays: 0,
		ObjectLockMode: "COMPLIANCE", ObjectLockDays: 365, SessionIdleMinutes: SessionIdleMinutes,
		DeployerPrincipalArns: []string{}, Quotas: map[string]int{}, OperationsEmails: []string{},
		TenantDeployerPrincipalArns: []string{}, TenantRefreshPrincipalArns: []string{},
	}
}

// Getter reads one key; ok is false when it is not set.
type Getter func(key string) (string, bool)

// LoadBaseline reads and validates a baseline stack's config.
func LoadBaseline(get Getter) (*Baseline, error) {
	c := BaselineDefaults()
	var errs []error
	str := func(key string, dst *string) {
		if v, ok := get(key); ok {
			*dst = v
		}
	}
	num := func(key string, dst *int) {
		if v, ok := get(key); ok {
			n, err := strconv.Atoi(v)
			if err != nil {
				errs = append(errs, &FieldError{Field: key, Value: v, Fix: "write a whole number"})
				return
			}
			*dst = n
		}
	}
	flag := func(key string, dst *bool) {
		if v, ok := get(key); ok {
			b, err := strconv.ParseBool(v)
			if err != nil {
				errs = append(errs, &FieldError{Field: key, Value: v, Fix: "write true or false"})
				return
			}
			*dst = b
		}
	}
	str("region", &c.Region)
	str("accountId", &c.AccountID)
	str("roleArn", &c.RoleArn)
	str("addressPool", &c.AddressPool)
	num("capacity", &c.Capacity)
	num("passwordMinLength", &c.PasswordMinLength)
	num("passwordMaxAgeDays", &c.PasswordMaxAgeDays)
	num("passwordReusePrevention", &c.PasswordReuse)
	flag("sharedTrail", &c.SharedTrail)
	str("tenantStacksDir", &c.TenantStacksDir)
	num("logRetentionDays", &c.LogRetentionDays)
	str("objectLockMode", &c.ObjectLockMode)
	num("objectLockDays", &c.ObjectLockDays)
	num("sessionIdleMinutes", &c.SessionIdleMinutes)
	flag("adoptAutoScalingRole", &c.AdoptAutoScalingRole)
	flag("adoptGuardDutyDetector", &c.AdoptGuardDutyDetector)
	flag("adoptSessionPreferences", &c.AdoptSessionPreferences)
	str("stateSecretsProvider", &c.StateSecretsProvider)
	for key, dst := range map[string]*[]string{"deployerPrincipalArns": &c.DeployerPrincipalArns,
		"tenantDeployerPrincipalArns": &c.TenantDeployerPrincipalArns, "tenantRefreshPrincipalArns": &c.TenantRefreshPrincipalArns} {
		if v, ok := get(key); ok {
			if err := json.Unmarshal([]byte(v), dst); err != nil {
				errs = append(errs, &FieldError{Field: key, Value: v, Fix: "write a list of IAM role or user ARNs"})
			}
		}
	}
	if v, ok := get("operationsEmails"); ok {
		if err := json.Unmarshal([]byte(v), &c.OperationsEmails); err != nil {
			errs = append(errs, &FieldError{Field: "operationsEmails", Value: v, Fix: `write a list of e-mail addresses, e.g. ["ops-rota@example.co.jp"]`})
		}
	}
	if v, ok := get("quotas"); ok {
		if err := json.Unmarshal([]byte(v), &c.Quotas); err != nil {
			errs = append(errs, &FieldError{Field: "quotas", Value: v, Fix: `write an object of quota names and raised values, e.g. {"Gateway VPC endpoints per Region": 40}`})
		}
		for name := range c.Quotas {
			known := false
			for _, q := range Quotas {
				known = known || q.Name == name
			}
			if !known {
				errs = append(errs, &FieldError{Field: "quotas", Value: name, Fix: "name one of the quotas config.Quotas lists (see the README's quota table)"})
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return c, c.Validate()
}

// Validate returns every problem at once, each naming key, value and fix.
func (c *Baseline) Validate() error {
	var errs []error
	bad := func(field string, value any, fix string) {
		errs = append(errs, &FieldError{Field: field, Value: fmt.Sprint(value), Fix: fix})
	}
	if c.Region != RegionTokyo && c.Region != RegionOsaka {
		bad("region", c.Region, "customer data stays in Japan (WP-07): use ap-northeast-1 or ap-northeast-3")
	}
	c.validateCell(bad)
	if c.PasswordMinLength < 14 || c.PasswordMinLength > 128 {
		bad("passwordMinLength", c.PasswordMinLength, "use 14 to 128 characters (WP-15)")
	}
	if c.PasswordMaxAgeDays < 1 || c.PasswordMaxAgeDays > 1095 {
		bad("passwordMaxAgeDays", c.PasswordMaxAgeDays, "use 1 to 1095 days")
	}
	if c.PasswordReuse < 1 || c.PasswordReuse > 24 {
		bad("passwordReusePrevention", c.PasswordReuse, "use 1 to 24 remembered passwords")
	}
	if !slices.Contains(RetentionDays, c.LogRetentionDays) {
		bad("logRetentionDays", c.LogRetentionDays, "use a value CloudWatch Logs accepts (0 keeps events forever)")
	}
	if c.ObjectLockMode != "COMPLIANCE" && c.ObjectLockMode != "GOVERNANCE" {
		bad("objectLockMode", c.ObjectLockMode, "use COMPLIANCE or GOVERNANCE")
	}
	if c.ObjectLockDays < 1 || c.ObjectLockDays > 3650 {
		bad("objectLockDays", c.ObjectLockDays, "use 1 to 3650 days")
	}
	if c.SessionIdleMinutes < 1 || c.SessionIdleMinutes > 60 {
		bad("sessionIdleMinutes", c.SessionIdleMinutes, "use 1 to 60 minutes")
	}
	for _, who := range []struct {
		field, what string
		arns        []string
	}{
		{"deployerPrincipalArns", "IAM role or user ARN that runs Pulumi", c.DeployerPrincipalArns},
		{"tenantDeployerPrincipalArns", "IAM role ARN of the deploy pipeline", c.TenantDeployerPrincipalArns},
		{"tenantRefreshPrincipalArns", "IAM role ARN of the drift pipeline", c.TenantRefreshPrincipalArns},
	} {
		for _, a := range who.arns {
			if !deployerPattern.MatchString(a) {
				bad(who.field, a, "write the "+who.what+" (arn:aws:iam::<account>:role/<path/name>), not an assumed-role session or the account root")
			}
		}
	}
	if c.StateSecretsProvider != "" {
		if _, err := ParseSecretsProvider(c.StateSecretsProvider); err != nil {
			bad("stateSecretsProvider", c.StateSecretsProvider, err.Error())
		}
	}
	if c.TenantStacksDir == "" {
		bad("tenantStacksDir", "", "name the directory of the tenant stacks (the shared trail covers their buckets; the deadline watchdog reads their cancellations), e.g. ../stacks")
	}
	if len(c.OperationsEmails) == 0 {
		bad("operationsEmails", "[]", `name who hears of a missed §10 deadline: tenantkit-baseline:operationsEmails: ["ops-rota@example.co.jp"] (a rota address, or two people)`)
	}
	for _, e := range c.OperationsEmails {
		if !emailPattern.MatchString(e) {
			bad("operationsEmails", e, "write an e-mail address")
		}
	}
	return errors.Join(errs...)
}
