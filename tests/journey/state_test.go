package journey

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/tenantkit/tenantkit/tests/motoserver"
)

// Everything about the tenants in Tokyo (#23 item 5, whitepaper §7): Pulumi
// state in an S3 bucket of ap-northeast-1 and stack secrets under a KMS key
// of ap-northeast-1, the self-managed backend the workflows take from
// PULUMI_BACKEND_URL and each stack file's secretsprovider (onboarding
// writes the baseline's stateSecretsProvider there). Run with the Pulumi CLI
// built from source against moto: the state lands in the Tokyo bucket, a
// secret is encrypted with the Tokyo key and read back through it.
func TestStateInTokyo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the Pulumi CLI")
	}
	cli := pulumiCLI(t)
	srv := motoserver.Start(t)
	ctx := context.Background()
	cfg := aws.Config{Region: "ap-northeast-1", Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", ""), BaseEndpoint: aws.String(srv.Endpoint)}
	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	if _, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("tk-pulumi-state"),
		CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraintApNortheast1}}); err != nil {
		t.Fatal(err)
	}
	k := kms.NewFromConfig(cfg)
	key, err := k.CreateKey(ctx, &kms.CreateKeyInput{Description: aws.String("Pulumi secrets of the tenant stacks")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := k.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/tk-pulumi-secrets"), TargetKeyId: key.KeyMetadata.KeyId}); err != nil {
		t.Fatal(err)
	}
	q := url.Values{"region": {"ap-northeast-1"}, "endpoint": {srv.Endpoint}}
	backend := "s3://tk-pulumi-state?" + q.Encode() + "&use_path_style=true"
	secrets := "awskms://alias/tk-pulumi-secrets?" + q.Encode()

	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "Pulumi.yaml"), []byte("name: tenantkit\nruntime: go\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), srv.Env()...)
	env = append(env, "PULUMI_HOME="+filepath.Join(dir, ".home"), "PULUMI_BACKEND_URL="+backend, "PULUMI_SKIP_UPDATE_CHECK=true")
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(cli, args...)
		cmd.Dir, cmd.Env = dir, env
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil {
			t.Fatalf("pulumi %v: %v\n%s%s", args, err, out.String(), errb.String())
		}
		return out.String()
	}
	// What the workflows do for a new tenant's stack.
	run("stack", "select", "acme", "--create", "--secrets-provider", secrets, "--non-interactive")
	run("config", "set", "--secret", "app:apiToken", "s3cr3t")
	stack, _ := os.ReadFile(filepath.Join(dir, "Pulumi.acme.yaml"))
	if !strings.Contains(string(stack), "secretsprovider: awskms://alias/tk-pulumi-secrets") || !strings.Contains(string(stack), "secure: ") || strings.Contains(string(stack), "s3cr3t") {
		t.Errorf("the stack file does not hold the secret encrypted under the Tokyo key:\n%s", stack)
	}
	if got := strings.TrimSpace(run("config", "get", "app:apiToken")); got != "s3cr3t" {
		t.Errorf("the secret read back through the Tokyo key: %q", got)
	}
	objs, err := s3c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("tk-pulumi-state")})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, o := range objs.Contents {
		found = found || strings.Contains(aws.ToString(o.Key), "stacks/tenantkit/acme")
	}
	if !found {
		t.Errorf("no stack state in the Tokyo bucket: %d objects", len(objs.Contents))
	}
	loc, err := s3c.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String("tk-pulumi-state")})
	if err != nil || loc.LocationConstraint != s3types.BucketLocationConstraintApNortheast1 {
		t.Errorf("the state bucket is in %q (%v), not Tokyo", loc.LocationConstraint, err)
	}
}
