package testkit

import (
	"context"

	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// PipelineAccount is the account STSCells answers for the pipeline's own
// key; CellKey is the key its sts:AssumeRole gives.
const (
	PipelineAccount = "123456789012"
	CellKey         = "ASIACELL"
)

// STSCells is an STS endpoint for the tests of reaching a cell: AssumeRole
// answers with CellKey (AWS's example answer, STS API reference,
// "AssumeRole"), GetCallerIdentity with the account of the key that signed
// the request: the pipeline's own (AKIDEXAMPLE, set in the environment) is
// PipelineAccount, CellKey is assumedAccount. Anything else is refused.
func STSCells(t *testing.T, assumedAccount string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(body))
		w.Header().Set("Content-Type", "text/xml")
		switch form.Get("Action") {
		case "AssumeRole":
			io.WriteString(w, `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>`+
				`<AssumedRoleUser><Arn>`+strings.Replace(form.Get("RoleArn"), ":iam::", ":sts::", 1)+`/`+form.Get("RoleSessionName")+`</Arn><AssumedRoleId>AROA3XFRBF535PLBIFPI4:s</AssumedRoleId></AssumedRoleUser>`+
				`<Credentials><AccessKeyId>`+CellKey+`</AccessKeyId><SecretAccessKey>secret</SecretAccessKey><SessionToken>token</SessionToken>`+
				`<Expiration>`+time.Now().Add(time.Hour).UTC().Format(time.RFC3339)+`</Expiration></Credentials></AssumeRoleResult>`+
				`<ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata></AssumeRoleResponse>`)
		case "GetCallerIdentity":
			account := PipelineAccount
			if strings.Contains(r.Header.Get("Authorization"), "Credential="+CellKey+"/") {
				account = assumedAccount
			}
			io.WriteString(w, `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>`+
				`<Arn>arn:aws:sts::`+account+`:assumed-role/tenantkit-cell/ci</Arn><UserId>AROACKCEVSQ6C2EXAMPLE:ci</UserId><Account>`+account+`</Account>`+
				`</GetCallerIdentityResult><ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata></GetCallerIdentityResponse>`)
		default:
			http.Error(w, "not answered here", http.StatusBadRequest)
		}
	}))
	t.Cleanup(srv.Close)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	return srv
}

// WantKey holds what reaching a cell gave: the error wantErr names, or
// (wantErr "") credentials of the key wantKey. It says whether to go on.
func WantKey(t *testing.T, cfg aws.Config, err error, wantKey, wantErr string) bool {
	t.Helper()
	if wantErr != "" {
		if err == nil || !strings.Contains(err.Error(), wantErr) {
			t.Fatalf("err %v, want %q", err, wantErr)
		}
		return false
	}
	if err != nil {
		t.Fatal(err)
	}
	creds, err := cfg.Credentials.Retrieve(context.Background())
	if err != nil || creds.AccessKeyID != wantKey {
		t.Errorf("the credentials are key %q (%v), want %s", creds.AccessKeyID, err, wantKey)
	}
	return true
}
