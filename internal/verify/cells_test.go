package verify

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/stackfile"
	"github.com/tenantkit/tenantkit/internal/testkit"
)

// #38: a cell's evidence bucket is written through the cell's role, its
// account checked first; any other bucket with the run's own credentials;
// a run holding another cell's tenant is refused for a cell's bucket. In
// moto every account may write any bucket, so the journey cannot tell
// whose credentials kept the reports; here the credentials are read back.
func TestCellBucketWrittenThroughItsRole(t *testing.T) {
	stacks, baselines := t.TempDir(), t.TempDir()
	os.WriteFile(filepath.Join(baselines, "Pulumi.tokyo-b.yaml"), []byte("config:\n  tenantkit-baseline:accountId: \"222233334444\"\n  tenantkit-baseline:roleArn: arn:aws:iam::222233334444:role/tenantkit-cell\n  tenantkit-baseline:operationsEmails: [\"ops-rota@example.co.jp\"]\n"), 0o644)
	os.WriteFile(filepath.Join(baselines, "Pulumi.tokyo-c.yaml"), []byte("config:\n  tenantkit-baseline:accountId: \"333344445555\"\n  tenantkit-baseline:operationsEmails: [\"ops-rota@example.co.jp\"]\n"), 0o644)
	os.WriteFile(filepath.Join(baselines, "Pulumi.tokyo.yaml"), []byte("config:\n  tenantkit-baseline:accountId: \"123456789012\"\n  tenantkit-baseline:operationsEmails: [\"ops-rota@example.co.jp\"]\n"), 0o644)
	acme, _ := os.ReadFile(stackfile.Path(testkit.StacksDir(), "acme"))
	os.WriteFile(stackfile.Path(stacks, "acme"), acme, 0o644) // cell tokyo
	os.WriteFile(stackfile.Path(stacks, "stark"), []byte(strings.NewReplacer("tenantId: acme", "tenantId: stark", "cell: tokyo", "cell: tokyo-b", "10.16.0.0/20", "10.64.0.0/20").Replace(string(acme))), 0o644)
	ctx := context.Background()
	for _, tc := range []struct {
		name, bucket, assumed, wantKey, wantErr string
		cell                                    bool
	}{
		{"a cell's bucket, through its role", "tenantkit-evidence-222233334444", "222233334444", "ASIACELL", "", true},
		{"a cell's role reaching another account", "tenantkit-evidence-222233334444", "999999999999", "", "reached account 999999999999", false},
		{"a cell without a role: the run's own", "tenantkit-evidence-123456789012", "", "AKIDEXAMPLE", "", true},
		{"a cell without a role, the run in another account", "tenantkit-evidence-333344445555", "", "", "reached account 123456789012", false},
		{"no cell's bucket: the run's own", "tk-evidence-elsewhere", "", "AKIDEXAMPLE", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := testkit.STSCells(t, tc.assumed)
			o := Options{BaselineDir: baselines, StacksDir: stacks, Endpoint: srv.URL}
			cfg, err := LoadConfigTimeout(ctx, "ap-northeast-1", srv.URL, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ucfg, cell, err := uploadConfig(ctx, o, cfg, tc.bucket)
			if !testkit.WantKey(t, ucfg, err, tc.wantKey, tc.wantErr) {
				return
			}
			if (cell != nil) != tc.cell {
				t.Errorf("cell %v, want one: %v", cell, tc.cell)
			}
		})
	}
	cells, _ := stackfile.Cells(baselines)
	i := slices.IndexFunc(cells, func(c config.Cell) bool { return c.Name == "tokyo-b" })
	if err := ofCell(Options{StacksDir: stacks}, cells[i], []string{"stark"}); err != nil {
		t.Errorf("stark's reports in its own cell's bucket: %v", err)
	}
	if err := ofCell(Options{StacksDir: stacks}, cells[i], []string{"acme", "stark"}); err == nil || !strings.Contains(err.Error(), "acme live elsewhere") {
		t.Errorf("acme's reports in tokyo-b's bucket: %v", err)
	}
}
