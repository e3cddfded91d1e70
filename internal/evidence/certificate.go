package evidence

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/tenantkit/tenantkit/internal/catalog"
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

// certificateTexts are the certificate's words in one language: the
// format strings take, in order, the tenant; the dates, key window and
// operator; the count of leftovers.
type certificateTexts struct {
	head, facts, deleted, kept, leftovers string
}

var certificateIn = map[string]certificateTexts{
	"ja": {
		head:      "# 削除証明書：テナント %s\n\nホワイトペーパー第10項（クラウドサービス利用者の資産の除去）に基づく削除の記録です。\n\n",
		facts:     "| 項目 | 内容 |\n|---|---|\n| 解約日 | %s |\n| アクセス停止 | %s |\n| 削除の実施 | %s（期限 %s） |\n| KMS キーの削除 | %s（待機期間 %d 日。以後、暗号化されたデータは復号できません） |\n| 実施者 | %s（tenantkit %s） |\n\n",
		deleted:   "## 削除したもの\n\nテナントのスタックのすべてのリソース（VPC、サブネット、ロードバランサー、インスタンス、データベースとその自動バックアップ、データ用バケットとその全バージョン、ロググループ、IAM ロール）を削除しました。\n\n",
		kept:      "## 保持するもの（理由と期限）\n\n| リソース | 内容 | 理由 | 保持期限 | その後 |\n|---|---|---|---|---|\n",
		leftovers: "\n## 残存確認\n\n削除後、テナントのタグを持つリソースを AWS に問い合わせ、設計上残すもの以外がないことを確認しました（%d 件、すべて上記の保持対象または削除待ちのキー）。\n",
	},
	"en": {
		head:      "# Deletion certificate: tenant %s\n\nThe record of the deletion the whitepaper's section 10 (removal of cloud service customer assets) promises.\n\n",
		facts:     "| | |\n|---|---|\n| Cancelled on | %s |\n| Access stopped | %s |\n| Deleted | %s (deadline %s) |\n| KMS keys deleted | %s (a %d-day window; from then no encrypted data can be read) |\n| By | %s (tenantkit %s) |\n\n",
		deleted:   "## Deleted\n\nEvery resource of the tenant's stack (VPC, subnets, load balancer, instances, the database and its automated backups, the data buckets with every version, log groups, IAM roles).\n\n",
		kept:      "## Kept, why and until when\n\n| Resource | Holds | Why | Kept until | Then |\n|---|---|---|---|---|\n",
		leftovers: "\n## Leftover check\n\nAfter the destroy, AWS was asked for everything tagged with the tenant: nothing remains but what is kept by design (%d, all retained above or keys pending deletion).\n",
	},
}

// Markdown is the certificate in a language (ja, or else en).
func (c *Certificate) Markdown(lang string) string {
	tx, ok := certificateIn[lang]
	if !ok {
		tx = certificateIn["en"]
	}
	cell := catalog.Cell
	var b strings.Builder
	fmt.Fprintf(&b, tx.head, c.Tenant)
	fmt.Fprintf(&b, tx.facts, cell(c.CancelledOn), cell(c.SuspendedAt), cell(c.DeletedAt), cell(c.DeleteBy), cell(c.KeysDeleted), c.KeyWindow, cell(c.Operator), cell(c.ToolVersion))
	b.WriteString(tx.deleted)
	b.WriteString(tx.kept)
	for _, r := range c.Retained {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", cell(r["resource"]), cell(r["holds"]), cell(r["reason"]), cell(r["retentionEndsBy"]), cell(r["disposal"]))
	}
	fmt.Fprintf(&b, tx.leftovers, len(c.Leftovers))
	return b.String()
}
