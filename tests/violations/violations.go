// Package violations is the catalogue of broken promises: for every
// control with a live check, distinct ways to break its promise in the
// account, each of which must make the named check FAIL. A PASS means the
// promise holds only if breaking the promise turns it into a FAIL.
//
// The cases are applied with the AWS SDK to the tenant the journey deploys
// into moto (tests/journey, violations_test.go), each restored afterwards;
// where moto cannot hold the violation, the case runs against the
// in-memory world of internal/verify (violations_test.go there) and says
// why. docs/verification.md's table is generated from this list
// (TestCatalogueDocIsCurrent).
package violations

import "strings"

// Case is one way to break one promise.
type Case struct {
	// ID is stable: <control>-<what>.
	ID string
	// Check is the live check that must FAIL.
	Check string
	// Promise is what the tenant is promised.
	Promise string
	// Violation is what is done to the account.
	Violation string
	// Memory, when set, says why moto cannot hold the violation: the case
	// runs against the in-memory world instead.
	Memory string
	// Suspended cases break a suspended tenant (WP-10): the journey applies
	// them after the suspension.
	Suspended bool
}

// Control is the catalog control of the case's check.
func (c Case) Control() string { return c.Check[:strings.Index(c.Check, "/")] }

// Where says where the case runs.
func (c Case) Where() string {
	if c.Memory != "" {
		return "in-memory world"
	}
	return "moto"
}

const (
	movesNoBucket   = "S3 cannot move a bucket to another region (a bucket's region is fixed when it is created), so the inventory's bucket is reported from another region instead"
	motoNoCBOR      = "the Go SDK speaks Smithy RPC v2 CBOR to CloudWatch, which moto 5.2.1 does not serve (moto issue #9195)"
	motoNoRotation  = "moto 5.2.1's GetKeyRotationStatus leaves out RotationPeriodInDays, so the check is ERROR there whatever the rotation"
	motoNoPatch     = "moto 5.2.1 has no SSM associations and no DescribeInstancePatchStates"
	motoNoFindings  = "moto 5.2.1 creates no Inspector findings and has no ListCoverage"
	motoYoung       = "the journey's instances are minutes old and run no CloudWatch agent in moto: host logs are not yet due"
	rdsNoDecrypt    = "RDS cannot turn storage encryption off on an existing instance"
	clockInjected   = "a missed deadline needs the clock past it; the in-memory world's clock is injected"
	motoNoTrailTime = "moto 5.2.1 reports a trail's start of logging as its latest delivery, never a later one"
	motoOneAccount  = "moto holds every resource in the one account its STS answers for; an endpoint serving another account's resources is what the check exists to catch"
)

// Cases is the catalogue.
var Cases = []Case{
	// WP-07: data stays in Japan.
	{ID: "07-replica-abroad", Check: "WP-07/replication", Promise: "customer data stays in Japan", Violation: "a data bucket replicates into a bucket in us-west-2"},
	{ID: "07-replica-osaka-without-dr", Check: "WP-07/replication", Promise: "customer data stays in the allowed regions", Violation: "a data bucket replicates into Osaka while disaster recovery is off"},
	{ID: "07-replica-foreign-bucket", Check: "WP-07/replication", Promise: "data is copied only into the tenant's own buckets", Violation: "the service-logs bucket's copy rule writes into a Tokyo bucket that is not the tenant's"},
	{ID: "07-bucket-abroad", Check: "WP-07/regions", Promise: "customer data stays in Japan", Violation: "the log archive is in us-east-1", Memory: movesNoBucket},

	// WP-10: access stops the day after cancellation.
	{ID: "10-lb-open-while-suspended", Check: "WP-10/suspended", Promise: "a suspended tenant admits nothing from outside", Violation: "443 from 0.0.0.0/0 on the load balancer's group", Suspended: true},
	{ID: "10-listener-forwards", Check: "WP-10/suspended", Promise: "a suspended tenant's listeners answer 503", Violation: "the HTTPS listener forwards to the application again", Suspended: true},
	{ID: "10-app-open-outside", Check: "WP-10/suspended", Promise: "a suspended tenant admits nothing from outside", Violation: "the application port opened to 203.0.113.0/24", Suspended: true},
	{ID: "10-deadline-missed", Check: "WP-10/suspended", Promise: "suspension the day after cancellation", Violation: "the tenant is still active two days after its cancellation", Memory: clockInjected},

	// WP-11: the inventory.
	{ID: "11-bucket-untagged", Check: "WP-11/tags", Promise: "every resource carries the tenant's tags", Violation: "the Tenant tag removed from a data bucket"},
	{ID: "11-key-wrong-environment", Check: "WP-11/tags", Promise: "every resource carries the tenant's tags", Violation: "the key tagged Environment=dev"},
	{ID: "11-vpc-untagged", Check: "WP-11/tags", Promise: "every resource carries the tenant's tags", Violation: "the Tenant tag removed from the VPC"},
	{ID: "11-extra-tagged", Check: "WP-11/sweep", Promise: "what carries the tenant's tag is the stack's", Violation: "a topic made by hand and tagged Tenant=<tenant>"},

	// WP-12: labelling.
	{ID: "12-personal-labelled-public", Check: "WP-12/labels", Promise: "each store labelled with its own classification", Violation: "the personal bucket labelled DataClassification=public"},
	{ID: "12-log-group-unlabelled", Check: "WP-12/labels", Promise: "every store labelled", Violation: "the flow-log group's DataClassification tag removed"},
	{ID: "12-database-relabelled", Check: "WP-12/labels", Promise: "the database labelled confidential", Violation: "the database tagged DataClassification=public"},
	{ID: "12-volume-unlabelled", Check: "WP-12/labels", Promise: "every volume labelled", Violation: "an instance volume's DataClassification tag removed"},

	// WP-15: privileged access.
	{ID: "15-reader-without-mfa", Check: "WP-15/mfa-roles", Promise: "human roles assumed only with MFA", Violation: "the log reader's trust without aws:MultiFactorAuthPresent"},
	{ID: "15-admin-any-principal", Check: "WP-15/mfa-roles", Promise: "human roles assumed only by the account's people, with MFA", Violation: "the log admin's trust adds another account without MFA"},
	{ID: "15-iam-user-with-key", Check: "WP-15/iam-users", Promise: "no long-lived keys", Violation: "an IAM user with an active access key"},
	{ID: "15-short-passwords", Check: "WP-15/password-policy", Promise: "the password policy meets the minimums", Violation: "minimum password length 8"},

	// WP-17: access restricted to the tenant's own resources.
	{ID: "17-bucket-open", Check: "WP-17/bucket-policies", Promise: "no open principals", Violation: "the personal bucket allows s3:GetObject to *"},
	{ID: "17-archive-admits-tenants", Check: "WP-17/bucket-policies", Promise: "other tenants refused", Violation: "the archive's deny of other tenants' roles removed"},
	{ID: "17-key-other-account", Check: "WP-17/key-policy", Promise: "the key used only by the tenant's principals and services", Violation: "the key policy allows kms:Decrypt to another account"},
	{ID: "17-key-no-tenant-deny", Check: "WP-17/key-policy", Promise: "other tenants refused the key", Violation: "the key policy's deny of other tenants' roles removed"},
	{ID: "17-role-policy-wildcard", Check: "WP-17/role-policies", Promise: "roles act on the tenant's own resources", Violation: "the log reader gains s3:GetObject on *"},
	{ID: "17-role-attached-admin", Check: "WP-17/role-policies", Promise: "roles act on the tenant's own resources", Violation: "a managed policy allowing s3:* on * attached to the log admin"},

	// WP-18: no back doors.
	{ID: "18-ssh-open", Check: "WP-18/no-ssh-rdp", Promise: "no SSH", Violation: "22 from 0.0.0.0/0 on the application group"},
	{ID: "18-rdp-from-vpc", Check: "WP-18/no-ssh-rdp", Promise: "no RDP", Violation: "3389 from the VPC on the database group"},
	{ID: "18-range-covers-ssh", Check: "WP-18/no-ssh-rdp", Promise: "no SSH", Violation: "tcp 20-25 on the endpoints group"},
	{ID: "18-sessions-unencrypted", Check: "WP-18/session-logging", Promise: "sessions logged encrypted", Violation: "Session Manager preferences with cloudWatchEncryptionEnabled false"},
	{ID: "18-sessions-elsewhere", Check: "WP-18/session-logging", Promise: "the tenant's sessions kept in its own group", Violation: "the tenant's session document logging to the baseline's group"},
	{ID: "18-host-cannot-log-sessions", Check: "WP-18/session-logging", Promise: "a session starts and is logged", Violation: "the instance role's session-log statements pointed at another group"},

	// WP-19: isolation.
	{ID: "19-default-sg-ingress", Check: "WP-19/isolation", Promise: "the default group admits nothing", Violation: "443 from 0.0.0.0/0 on the default group"},
	{ID: "19-default-sg-egress", Check: "WP-19/isolation", Promise: "the default group is empty", Violation: "an egress rule on the default group"},
	{ID: "19-vpc-other-tenant", Check: "WP-19/isolation", Promise: "the tenant's own VPC", Violation: "the VPC tagged as another tenant's"},

	// WP-20.1: only the needed ports.
	{ID: "20.1-lb-open-world", Check: "WP-20.1/tier-matrix", Promise: "the load balancer admits only the customer's ranges", Violation: "443 from 0.0.0.0/0 on the load balancer's group"},
	{ID: "20.1-app-other-port", Check: "WP-20.1/tier-matrix", Promise: "the application admits only its port from the load balancer", Violation: "9090 from the load balancer's group on the application group"},
	{ID: "20.1-db-from-cidr", Check: "WP-20.1/tier-matrix", Promise: "the database admits only the application group", Violation: "the database port from the VPC range"},
	{ID: "20.1-extra-group", Check: "WP-20.1/tier-matrix", Promise: "only the tenant's tier groups in its VPC", Violation: "a group made by hand in the VPC"},

	// WP-20.2: only the needed protocols.
	{ID: "20.2-all-protocols", Check: "WP-20.2/protocols", Promise: "no all-protocol ingress", Violation: "protocol -1 from the application group on the database group"},
	{ID: "20.2-nacl-allows-ssh", Check: "WP-20.2/nacls", Promise: "22 and 3389 denied first", Violation: "a network ACL entry 1 allowing tcp 22 from 0.0.0.0/0"},
	{ID: "20.2-subnet-default-acl", Check: "WP-20.2/nacls", Promise: "a tier ACL on every subnet", Violation: "a subnet moved to the VPC's default ACL"},

	// WP-20.3: anti-malware.
	{ID: "20.3-detector-off", Check: "WP-20.3/guardduty", Promise: "GuardDuty on", Violation: "the detector disabled"},
	{ID: "20.3-malware-off", Check: "WP-20.3/guardduty", Promise: "EBS malware protection on", Violation: "EBS_MALWARE_PROTECTION disabled"},
	{ID: "20.3-slow-findings", Check: "WP-20.3/guardduty", Promise: "findings published as the baseline declares", Violation: "findings published every six hours"},

	// WP-20.4: hardened instances.
	{ID: "20.4-imdsv1", Check: "WP-20.4/launch-template", Promise: "IMDSv2 only", Violation: "the group launches a version with HttpTokens optional"},
	{ID: "20.4-unencrypted-volume", Check: "WP-20.4/launch-template", Promise: "volumes encrypted with the tenant key", Violation: "the group launches a version with an unencrypted volume"},
	{ID: "20.4-public-ip", Check: "WP-20.4/launch-template", Promise: "no public IP", Violation: "the group launches a version that associates a public IP"},
	{ID: "20.4-subnet-maps-public", Check: "WP-20.4/subnets", Promise: "no public IP", Violation: "a subnet maps public IPs on launch"},
	{ID: "20.4-ebs-default-off", Check: "WP-20.4/ebs-default", Promise: "EBS encrypted by default", Violation: "EBS encryption by default turned off"},

	// WP-20.5: host logs.
	{ID: "20.5-bootstrap-no-agent", Check: "WP-20.5/bootstrap", Promise: "host logs sent", Violation: "the group launches a version whose bootstrap starts no CloudWatch agent"},
	{ID: "20.5-bootstrap-other-group", Check: "WP-20.5/bootstrap", Promise: "host logs sent to the tenant's group", Violation: "the bootstrap sends host logs to another tenant's group"},
	{ID: "20.5-no-streams", Check: "WP-20.5/received", Promise: "every instance's host logs arrive", Violation: "an instance launched two days ago has no secure-log stream", Memory: motoYoung},
	{ID: "20.5-stale-streams", Check: "WP-20.5/received", Promise: "host logs keep arriving", Violation: "an instance's last host log event is three days old", Memory: motoYoung},

	// WP-21.1: encryption at rest.
	{ID: "21.1-bucket-sse-s3", Check: "WP-21.1/bucket-encryption", Promise: "data encrypted with the tenant key", Violation: "a data bucket's default encryption set to SSE-S3"},
	{ID: "21.1-bucket-other-key", Check: "WP-21.1/bucket-encryption", Promise: "data encrypted with the tenant key", Violation: "a data bucket encrypted with another KMS key"},
	{ID: "21.1-pab-off", Check: "WP-21.1/public-access-block", Promise: "no public access", Violation: "RestrictPublicBuckets off on a data bucket"},
	{ID: "21.1-log-group-no-key", Check: "WP-21.1/log-group-keys", Promise: "logs encrypted with the tenant key", Violation: "the application log group's key disassociated", Memory: "moto 5.2.1 has no DisassociateKmsKey"},
	{ID: "21.1-topic-unencrypted", Check: "WP-21.1/topic", Promise: "alerts encrypted with the tenant key", Violation: "the alert topic's KMS key removed"},
	{ID: "21.1-rotation-off", Check: "WP-21.1/key-rotation", Promise: "the key rotates", Violation: "key rotation disabled", Memory: motoNoRotation},
	{ID: "21.1-volume-unencrypted", Check: "WP-21.1/volumes", Promise: "instance volumes encrypted with the tenant key", Violation: "an unencrypted volume attached to an instance"},
	{ID: "21.1-database-unencrypted", Check: "WP-21.1/database", Promise: "the database encrypted with the tenant key", Violation: "the database unencrypted", Memory: rdsNoDecrypt},

	// WP-21.2: encryption in transit.
	{ID: "21.2-bucket-no-tls-deny", Check: "WP-21.2/bucket-tls", Promise: "no plain-text access to the buckets", Violation: "a data bucket's TLS deny removed"},
	{ID: "21.2-listener-old-tls", Check: "WP-21.2/listeners", Promise: "TLS 1.2 and up", Violation: "the HTTPS listener on ELBSecurityPolicy-2016-08"},
	{ID: "21.2-http-forwards", Check: "WP-21.2/listeners", Promise: "port 80 only redirects", Violation: "the HTTP listener forwards to the application"},
	{ID: "21.2-db-no-force-ssl", Check: "WP-21.2/database-tls", Promise: "the database forces TLS", Violation: "rds.force_ssl 0"},

	// WP-22: secure disposal.
	{ID: "22-no-lifecycle", Check: "WP-22/lifecycle", Promise: "noncurrent versions expire", Violation: "a data bucket's lifecycle removed"},
	{ID: "22-key-disabled", Check: "WP-22/key-state", Promise: "the key usable while the tenant is active", Violation: "the key disabled"},
	{ID: "22-manual-snapshot", Check: "WP-22/database", Promise: "no database copy kept by hand", Violation: "a manual snapshot of the database"},
	{ID: "22-backup-retention", Check: "WP-22/database-backups", Promise: "backups kept as configured", Violation: "backup retention 1 day"},

	// WP-24: monitoring.
	{ID: "24-extra-subscriber", Check: "WP-24/subscribers", Promise: "alerts reach the customer's addresses and no one else", Violation: "another e-mail address subscribed"},
	{ID: "24-configured-unsubscribed", Check: "WP-24/subscribers", Promise: "alerts reach every configured address", Violation: "the configured address unsubscribed, another subscribed instead"},
	{ID: "24-https-subscriber", Check: "WP-24/subscribers", Promise: "alerts reach the customer's addresses and no one else", Violation: "an https endpoint subscribed"},
	{ID: "24-alarm-operator", Check: "WP-24/alarms", Promise: "an alarm when CPU is high", Violation: "the CPU alarm's operator LessThanThreshold", Memory: motoNoCBOR},
	{ID: "24-alarm-period", Check: "WP-24/alarms", Promise: "an alarm within minutes", Violation: "the memory alarm evaluates one day", Memory: motoNoCBOR},
	{ID: "24-alarm-threshold", Check: "WP-24/alarms", Promise: "the configured thresholds", Violation: "the disk alarm's threshold 99", Memory: motoNoCBOR},

	// WP-27: event logs.
	{ID: "27-flow-log-deleted", Check: "WP-27/flow-logs", Promise: "network traffic logged", Violation: "the VPC flow log deleted"},
	{ID: "27-bucket-logging-off", Check: "WP-27/bucket-logs", Promise: "bucket access logged", Violation: "a data bucket's access logging off"},
	{ID: "27-trail-stopped", Check: "WP-27/trail", Promise: "API calls logged", Violation: "the trail stopped"},
	{ID: "27-trail-other-bucket", Check: "WP-27/trail", Promise: "the trail delivers to the locked archive", Violation: "the trail delivers into another bucket"},
	{ID: "27-trail-write-only", Check: "WP-27/trail", Promise: "every management event logged", Violation: "the trail's management events limited to writes"},
	{ID: "27-alb-logs-off", Check: "WP-27/alb-logs", Promise: "load-balancer access logged", Violation: "the load balancer's access logs off"},
	{ID: "27-view-rule-disabled", Check: "WP-27/trail-view", Promise: "the tenant reads its own records", Violation: "a copy rule of the shared trail disabled"},
	{ID: "27-trail-stale", Check: "WP-27/trail", Promise: "API calls logged", Violation: "the trail's last delivery two days old", Memory: motoNoTrailTime},

	// WP-28: clocks.
	{ID: "28-dhcp-no-ntp", Check: "WP-28/dhcp", Promise: "NTP from the Time Sync Service", Violation: "the VPC on DHCP options without ntp-servers"},
	{ID: "28-db-utc", Check: "WP-28/database-timezone", Promise: "the database keeps JST", Violation: "the database's timezone UTC"},
	{ID: "28-bootstrap-utc", Check: "WP-28/instance-clock", Promise: "instances keep JST", Violation: "the group launches a version whose bootstrap sets no time zone"},

	// WP-30: vulnerability management.
	{ID: "30-db-no-minor-upgrades", Check: "WP-30/database-upgrades", Promise: "the database patched", Violation: "automatic minor version upgrades off"},
	{ID: "30-inspector-ec2-off", Check: "WP-30/inspector", Promise: "instances scanned", Violation: "Inspector's EC2 scanning disabled"},
	{ID: "30-high-finding", Check: "WP-30/findings", Promise: "no open high or critical vulnerability", Violation: "an active HIGH finding on an instance", Memory: motoNoFindings},
	{ID: "30-patch-missing", Check: "WP-30/patch-compliance", Promise: "every instance patched", Violation: "an instance missing 3 patches", Memory: motoNoPatch},
	{ID: "30-patch-stale", Check: "WP-30/patch-compliance", Promise: "every instance scanned recently", Violation: "an instance's last patch scan 30 days old", Memory: motoNoPatch},
	{ID: "30-instance-not-scanned", Check: "WP-30/inspector-coverage", Promise: "every instance scanned", Violation: "an instance Inspector does not cover", Memory: motoNoFindings},

	// WP-31: network separation.
	{ID: "31-route-vpn", Check: "WP-31/routes", Promise: "no path to another network", Violation: "a route through a VPN gateway"},
	{ID: "31-route-peering", Check: "WP-31/routes", Promise: "no path to another network", Violation: "a route through a peering connection"},
	{ID: "31-route-other-tenant", Check: "WP-31/routes", Promise: "no route to another tenant", Violation: "a route to another tenant's range"},
	{ID: "31-endpoint-deleted", Check: "WP-31/endpoints", Promise: "AWS reached through endpoints", Violation: "the kms interface endpoint deleted"},

	// WP-37: incident notification.
	{ID: "37-findings-rule-disabled", Check: "WP-37/findings-rule", Promise: "GuardDuty findings reach the customer", Violation: "the findings rule disabled"},
	{ID: "37-findings-high-only", Check: "WP-37/findings-rule", Promise: "medium findings reach the customer", Violation: "the findings rule forwards severity 7 and up only"},
	{ID: "37-findings-target-removed", Check: "WP-37/findings-rule", Promise: "GuardDuty findings reach the customer", Violation: "the rule's topic target removed"},
	{ID: "37-key-route-other-key", Check: "WP-37/alert-routes", Promise: "changes to the tenant key reach the customer", Violation: "the key route watches another key"},

	// WP-39: records protected.
	{ID: "39-retention-30", Check: "WP-39/log-retention", Promise: "logs kept as configured", Violation: "the application log group expires after 30 days"},
	{ID: "39-flow-retention-1", Check: "WP-39/log-retention", Promise: "network logs kept as configured", Violation: "the flow-log group expires after one day"},
	{ID: "39-lock-shortened", Check: "WP-39/log-buckets", Promise: "the archive locked as configured", Violation: "the archive's default retention 1 day"},
	{ID: "39-copy-disabled", Check: "WP-39/access-log-copy", Promise: "access logs kept where no one can alter them", Violation: "the access-log copy rule disabled"},
	{ID: "39-deny-delete-removed", Check: "WP-39/log-buckets", Promise: "log deletes denied", Violation: "the archive's delete deny removed"},

	// WP-44: the report's account is the one AWS holds the tenant in.
	{ID: "44-vpc-elsewhere", Check: "WP-44/account-witness", Promise: "the report is about the account it names", Violation: "EC2 names another account as the VPC's owner", Memory: motoOneAccount},
	{ID: "44-key-elsewhere", Check: "WP-44/account-witness", Promise: "the report is about the account it names", Violation: "KMS names another account as the key's", Memory: motoOneAccount},
	{ID: "44-key-arn-elsewhere", Check: "WP-44/account-witness", Promise: "the report is about the account it names", Violation: "the key's ARN names another account", Memory: motoOneAccount},
}
