package evidence

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/tenantkit/tenantkit/internal/lifecycle"
)

// Certificate is the deletion certificate of §10 (#37 item 7): what was
// deleted when, what is kept and why until when, and the leftover check's
// result, taken from the tenant's lifecycle evidence once its deletion is
// applied. It is written in Japanese and English and sealed like any
// report.
type Certificate struct {
	Schema      string              `json:"schema"`
	Tenant      string              `json:"tenant"`
	CancelledOn string              `json:"cancelledOn"`
	SuspendedAt string              `json:"suspendedAt"`
	DeletedAt   string              `json:"deletedAt"`
	DeleteBy    string              `json:"deleteBy"`
	KeysDeleted string              `json:"keysDeletedOn"`
	KeyWindow   int                 `json:"keyDeletionWindowDays"`
	Retained    []map[string]string `json:"retained"`
	// Leftovers are what still carried the tenant's tag after the destroy:
	// only what outlives a stack by design (the retained records, the keys
	// pending deletion).
	Leftovers   []string `json:"leftovers"`
	Operator    string   `json:"operator"`
	ToolVersion string   `json:"toolVersion"`
}

// CertificateSchema names the certificate's format.
const CertificateSchema = "tenantkit.deletion-certificate/v1"

// CertificateOf builds the certificate from a tenant's lifecycle evidence;
// an error when its deletion is not applied (no certificate of a deletion
// that did not happen).
func CertificateOf(ev *lifecycle.Evidence) (*Certificate, error) {
	c := &Certificate{Schema: CertificateSchema, Tenant: ev.Tenant}
	var deleted *lifecycle.Entry
	for i := range ev.Entries {
		e := &ev.Entries[i]
		if e.DryRun {
			continue
		}
		switch e.Step {
		case lifecycle.StepCancel:
			if d, ok := e.Details["cancelledOn"].(string); ok {
				c.CancelledOn = d
			}
		case lifecycle.StepSuspend:
			if e.Details["phase"] == lifecycle.PhaseApplied || strings.HasPrefix(e.Summary, "suspended") {
				c.SuspendedAt = e.AtJST
			}
		case lifecycle.StepDeleted:
			deleted = e
		}
	}
	if deleted == nil || deleted.Details["phase"] != lifecycle.PhaseApplied {
		return nil, fmt.Errorf("tenant %s: no applied deletion in its evidence: a certificate is written only after offboard delete has destroyed the stack and the leftover check passed", ev.Tenant)
	}
	d := deleted.Details
	c.DeletedAt, c.Operator, c.ToolVersion = deleted.AtJST, deleted.Operator, deleted.ToolVersion
	c.DeleteBy, _ = d["deleteBy"].(string)
	c.KeysDeleted, _ = d["keysDeletedOn"].(string)
	if w, ok := d["keyDeletionWindowDays"].(float64); ok {
		c.KeyWindow = int(w)
	}
	if b, err := json.Marshal(d["retained"]); err == nil {
		_ = json.Unmarshal(b, &c.Retained)
	}
	if b, err := json.Marshal(d["leftovers"]); err == nil {
		_ = json.Unmarshal(b, &c.Leftovers)
	}
	if c.DeleteBy == "" || c.KeysDeleted == "" {
		return nil, errors.New("the deletion's evidence lacks its dates")
	}
	return c, nil
}

// Markdown is the certificate in a language (ja or en).
func (c *Certificate) Markdown(lang string) string {
	var b strings.Builder
	dash := func(s string) string {
		if s == "" {
			return "—"
		}
		return strings.ReplaceAll(s, "|", "\\|")
	}
	if lang == "ja" {
		fmt.Fprintf(&b, "# 削除証明書：テナント %s\n\nホワイトペーパー第10項（クラウドサービス利用者の資産の除去）に基づく削除の記録です。\n\n", c.Tenant)
		fmt.Fprintf(&b, "| 項目 | 内容 |\n|---|---|\n| 解約日 | %s |\n| アクセス停止 | %s |\n| 削除の実施 | %s（期限 %s） |\n| KMS キーの削除 | %s（待機期間 %d 日。以後、暗号化されたデータは復号できません） |\n| 実施者 | %s（tenantkit %s） |\n\n",
			dash(c.CancelledOn), dash(c.SuspendedAt), dash(c.DeletedAt), dash(c.DeleteBy), dash(c.KeysDeleted), c.KeyWindow, dash(c.Operator), dash(c.ToolVersion))
		b.WriteString("## 削除したもの\n\nテナントのスタックのすべてのリソース（VPC、サブネット、ロードバランサー、インスタンス、データベースとその自動バックアップ、データ用バケットとその全バージョン、ロググループ、IAM ロール）を削除しました。\n\n")
		b.WriteString("## 保持するもの（理由と期限）\n\n| リソース | 内容 | 理由 | 保持期限 | その後 |\n|---|---|---|---|---|\n")
		for _, r := range c.Retained {
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", dash(r["resource"]), dash(r["holds"]), dash(r["reason"]), dash(r["retentionEndsBy"]), dash(r["disposal"]))
		}
		fmt.Fprintf(&b, "\n## 残存確認\n\n削除後、テナントのタグを持つリソースを AWS に問い合わせ、設計上残すもの以外がないことを確認しました（%d 件、すべて上記の保持対象または削除待ちのキー）。\n", len(c.Leftovers))
	} else {
		fmt.Fprintf(&b, "# Deletion certificate: tenant %s\n\nThe record of the deletion the whitepaper's section 10 (removal of cloud service customer assets) promises.\n\n", c.Tenant)
		fmt.Fprintf(&b, "| | |\n|---|---|\n| Cancelled on | %s |\n| Access stopped | %s |\n| Deleted | %s (deadline %s) |\n| KMS keys deleted | %s (a %d-day window; from then no encrypted data can be read) |\n| By | %s (tenantkit %s) |\n\n",
			dash(c.CancelledOn), dash(c.SuspendedAt), dash(c.DeletedAt), dash(c.DeleteBy), dash(c.KeysDeleted), c.KeyWindow, dash(c.Operator), dash(c.ToolVersion))
		b.WriteString("## Deleted\n\nEvery resource of the tenant's stack (VPC, subnets, load balancer, instances, the database and its automated backups, the data buckets with every version, log groups, IAM roles).\n\n")
		b.WriteString("## Kept, why and until when\n\n| Resource | Holds | Why | Kept until | Then |\n|---|---|---|---|---|\n")
		for _, r := range c.Retained {
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", dash(r["resource"]), dash(r["holds"]), dash(r["reason"]), dash(r["retentionEndsBy"]), dash(r["disposal"]))
		}
		fmt.Fprintf(&b, "\n## Leftover check\n\nAfter the destroy, AWS was asked for everything tagged with the tenant: nothing remains but what is kept by design (%d, all retained above or keys pending deletion).\n", len(c.Leftovers))
	}
	return b.String()
}
