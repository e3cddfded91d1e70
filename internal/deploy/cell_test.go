package deploy

import (
	"context"
	"testing"

	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/testkit"
)

// tenantctl's own calls into a cell (the leftover sweep, the recovery of
// orphans) go through the cell's role, and refuse credentials of any other
// account: a sweep of the wrong account finds nothing and would call the
// tenant deleted.
func TestCellConfigReachesTheCell(t *testing.T) {
	ctx := context.Background()
	role := "arn:aws:iam::222233334444:role/tenantkit-cell"
	for _, tc := range []struct {
		name    string
		cell    *config.Cell
		assumed string
		wantKey string
		wantErr string
	}{
		{"through the cell's role", &config.Cell{Name: "tokyo-b", Baseline: &config.Baseline{AccountID: "222233334444", RoleArn: role}}, "222233334444", testkit.CellKey, ""},
		{"the role reaching another account", &config.Cell{Name: "tokyo-b", Baseline: &config.Baseline{AccountID: "222233334444", RoleArn: role}}, "999999999999", "", "the credentials reached account 999999999999"},
		{"no role, the pipeline's account", &config.Cell{Name: "tokyo", Baseline: &config.Baseline{AccountID: testkit.PipelineAccount}}, "", "AKIDEXAMPLE", ""},
		{"no role, another account", &config.Cell{Name: "tokyo", Baseline: &config.Baseline{AccountID: "222233334444"}}, "", "", "the credentials reached account " + testkit.PipelineAccount},
		{"no cell: the credentials as they are", nil, "", "AKIDEXAMPLE", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := testkit.STSCells(t, tc.assumed)
			t.Setenv("AWS_ENDPOINT_URL", srv.URL)
			cfg, err := CellConfig(ctx, tc.cell, "ap-northeast-1")
			testkit.WantKey(t, cfg, err, tc.wantKey, tc.wantErr)
		})
	}
}
