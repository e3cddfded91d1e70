package policydoc

import "testing"

func TestGrants(t *testing.T) {
	doc, err := Parse(`{"Statement":[
		{"Effect":"Allow","Action":"logs:DescribeLogGroups","Resource":"*"},
		{"Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":["arn:aws:logs:r:1:log-group:/tenants/a/sessions","arn:aws:logs:r:1:log-group:/tenants/a/sessions:*"]},
		{"Effect":"Allow","Action":"kms:Decrypt","Resource":"arn:k","Condition":{"StringEquals":{"aws:x":"y"}}},
		{"Effect":"Allow","Action":"s3:Get*","Resource":"arn:aws:s3:::b/?"},
		{"Effect":"Deny","Action":"logs:PutLogEvents","Resource":"arn:aws:logs:r:1:log-group:/tenants/a/sessions:log-stream:x"}
	]}`)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		action, resource string
		want             bool
	}{
		{"logs:DescribeLogGroups", "*", true},
		{"LOGS:describeloggroups", "*", true},
		{"logs:CreateLogStream", "arn:aws:logs:r:1:log-group:/tenants/a/sessions:log-stream:i-1", true},
		{"logs:CreateLogStream", "arn:aws:logs:r:1:log-group:/tenants/b/sessions:log-stream:i-1", false},
		{"logs:CreateLogStream", "arn:aws:logs:r:1:log-group:/tenants/a/sessionsX:log-stream:i-1", false},
		{"logs:PutLogEvents", "arn:aws:logs:r:1:log-group:/tenants/a/sessions:log-stream:x", false}, // denied
		{"logs:DescribeLogStreams", "arn:aws:logs:r:1:log-group:/tenants/a/sessions", false},
		{"kms:Decrypt", "arn:k", false}, // only under a condition
		{"s3:GetObject", "arn:aws:s3:::b/k", true},
		{"s3:GetObject", "arn:aws:s3:::b/kk", false},
	} {
		if got := doc.Grants(c.action, c.resource); got != c.want {
			t.Errorf("%s on %s: %v, want %v", c.action, c.resource, got, c.want)
		}
	}
}
