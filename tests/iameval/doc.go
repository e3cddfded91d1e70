// Package iameval proves the programs' resource and role policies by
// evaluation, not by shape: the key, bucket, topic and trust policies the
// tenant and baseline programs really declare (read from their mock-engine
// runs, never restated) are put, with the requests AWS services and
// principals really make, to an IAM evaluator written by others:
// @cloud-copilot/iam-simulate, pinned in package-lock.json and installed by
// `npm ci --prefix tests/iameval` (.ci/run does it).
//
// The account holds two tenants whose ids prefix each other (acme and
// acme-corp, from the acme example stack), the globex example (dedicated
// trail, database) and the account baseline. Scenarios, in
// scenarios_test.go:
//   - every service that reads or writes through the policies gets what it
//     needs (CloudTrail, CloudWatch Logs, S3 server access logging, ELB log
//     delivery in Tokyo, EventBridge and CloudWatch to the topic, Auto
//     Scaling with the key, VPC flow logs, the EC2 instance role, the
//     deployers);
//   - every isolation promise holds against another tenant's role, once
//     with no identity policy and once with an identity policy that allows
//     everything;
//   - the log buckets keep their records against account administrators;
//   - S3 replication copies the access logs into the locked archive and
//     can do nothing else, and the log reader reads the tenant's copy of
//     its shared-trail records and no other tenant's.
//
// What the evaluator is trusted with, and how that trust was checked, is in
// evaluate.mjs and in the self-check scenarios.
package iameval
