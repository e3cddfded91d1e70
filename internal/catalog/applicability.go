package catalog

import (
	"fmt"
	"strings"
)

// Class is how a whitepaper section is met: by controls this toolkit makes
// true and checks, by a process of the provider, by the SaaS application
// itself (outside this toolkit), or not at all because the section states
// no promise.
type Class string

const (
	ClassTechnical   Class = "technical"
	ClassProcess     Class = "process"
	ClassApplication Class = "application"
	ClassNone        Class = "not-applicable"
)

// ClassName is a class as a reader of the language reads it.
func ClassName(c Class, lang string) string {
	if lang == LangJA {
		return map[Class]string{ClassTechnical: "技術的管理策（本ツールが構築し検証）", ClassProcess: "運用手順（提供者が実施）",
			ClassApplication: "アプリケーション機能（本ツールの対象外）", ClassNone: "適用外（約束を含まない項）"}[c]
	}
	return map[Class]string{ClassTechnical: "technical (built and verified here)", ClassProcess: "process (the provider's)",
		ClassApplication: "application feature (outside this toolkit)", ClassNone: "not applicable (states no promise)"}[c]
}

// Section is one section of the whitepaper in the statement of
// applicability: every one of its 44 sections, how it is met, and the
// clauses of ISO/IEC 27017:2015 (the section titles are its controls') and
// ISO/IEC 27002:2022 (mapped from 27002:2013 as its Annex B maps them;
// 27017's cloud-only CLD controls have no 27002 control of their own and
// are mapped to the nearest one) it answers.
type Section struct {
	Number   int
	TitleJA  string
	TitleEN  string
	ISO27017 string
	ISO27002 string
	Class    Class
	// Controls are the catalog's controls that make the section's promise
	// true (technical), or that the process relies on.
	Controls []string
	// How is what meets the section, and who owns what stays a process.
	HowJA, HowEN string
}

// SectionCount is the whitepaper's number of sections (edition 1.0).
const SectionCount = 44

// Edition is the whitepaper edition the statement is made against.
const Edition = "第1.0版 2023年9月20日 制定"

// Sections is the statement of applicability, in the whitepaper's order.
var Sections = []Section{
	{1, "用語の定義", "Definitions", "", "", ClassNone, nil, "用語と略語の定義のみで、約束を含みません。", "Terms and abbreviations only; no promise."},
	{2, "「セキュリティ ホワイトペーパー」の目的", "Purpose of the whitepaper", "", "", ClassNone, nil, "文書の目的の説明です。", "The document's purpose."},
	{3, "本書の適用範囲", "Scope", "", "", ClassNone, nil, "適用範囲の説明です。本ツールの範囲は、各テナントの AWS 環境（東京リージョン）です。", "The document's scope; this toolkit's is each tenant's AWS environment in Tokyo."},
	{4, "クラウドサービスの責任分界点について", "The division of responsibility", "", "5.23", ClassProcess, nil,
		"当社と利用者の責任分界は契約と本書で定めます。本ツールが担うのは当社側のうち AWS 環境の構築と検証です。", "The contract and this document divide responsibility; this toolkit covers the provider's AWS environment."},
	{5, "情報セキュリティのための方針群", "Policies for information security", "5.1.1", "5.1", ClassProcess, nil,
		"方針の策定と見直しは情報セキュリティ委員会が行います。記録は方針文書の改訂履歴です。", "The security committee sets and reviews the policies; the record is the policy's revision history."},
	{6, "情報セキュリティの役割および責任", "Information security roles and responsibilities", "6.1.1", "5.2", ClassProcess, nil,
		"役割の割当ては提供者の組織規程によります。", "Roles are assigned by the provider's organisation rules."},
	{7, "関係当局との連絡", "Contact with authorities", "6.1.3", "5.5", ClassTechnical, []string{"WP-07"},
		"利用者データを日本国内（東京・大阪リージョン）に置くことを WP-07 が構築し検証します。当局との連絡は提供者の窓口が行います。", "WP-07 keeps customer data in Japan (Tokyo, Osaka); contact with authorities is the provider's desk."},
	{8, "クラウドコンピューティング環境における役割および責任の共有および分担", "Shared roles and responsibilities in the cloud", "CLD.6.3.1", "5.23", ClassProcess, nil,
		"AWS との責任共有モデルに従い、提供者が担う部分を本ツールが構築します。分担の説明は本書第4項です。", "Under AWS's shared responsibility model; the provider's part is built here; section 4 states the split."},
	{9, "情報セキュリティの意識向上、教育及び訓練", "Awareness, education and training", "7.2.2", "6.3", ClassProcess, nil,
		"従業員教育は提供者の人事が年次で実施し、受講記録を保管します。", "Yearly training by the provider's HR, with attendance records."},
	{10, "クラウドサービス利用者の資産の除去", "Removal of cloud service customer assets", "CLD.8.1.5", "5.11", ClassTechnical, []string{"WP-10", "WP-22"},
		"解約の翌日にアクセスを止め、30日以内に削除することを WP-10 と WP-22 が構築し検証します。", "WP-10 and WP-22 stop access the day after cancellation and delete within 30 days."},
	{11, "資産目録", "Inventory of assets", "8.1.1", "5.9", ClassTechnical, []string{"WP-11"}, "全リソースへのタグ付けと目録の照合（WP-11）。", "Every resource tagged and the inventory compared (WP-11)."},
	{12, "情報のラベル付け", "Labelling of information", "8.2.2", "5.13", ClassTechnical, []string{"WP-12"},
		"データ保管先の分類ラベル（WP-12）。アプリケーション内の情報のラベル付けはアプリケーション機能です。", "Data stores' classification labels (WP-12); labelling inside the application is an application feature."},
	{13, "利用者登録及び利用停止", "User registration and de-registration", "9.2.1", "5.16", ClassApplication, nil,
		"SaaS アプリケーションの利用者登録機能です。運用者の権限は WP-15 が扱います。", "The SaaS application's user registration; operators' access is WP-15."},
	{14, "利用者アクセスの提供", "User access provisioning", "9.2.2", "5.18", ClassApplication, nil,
		"SaaS アプリケーションのアクセス付与機能です。", "The SaaS application's access provisioning."},
	{15, "特権的アクセス権の管理", "Management of privileged access rights", "9.2.3", "8.2", ClassTechnical, []string{"WP-15"},
		"特権ロールの MFA 必須化、IAM ユーザーとアクセスキーの不在（WP-15）。", "MFA on privileged roles, no IAM users or access keys (WP-15)."},
	{16, "利用者の秘密認証情報の管理", "Management of secret authentication information of users", "9.2.4", "5.17", ClassApplication, []string{"WP-15"},
		"利用者のパスワード等はアプリケーション機能です。運用者の認証情報（パスワードポリシー）は WP-15 が検証します。", "Users' passwords are the application's; operators' password policy is WP-15."},
	{17, "情報へのアクセス制限", "Information access restriction", "9.4.1", "8.3", ClassTechnical, []string{"WP-17"}, "テナント自身のリソースへのアクセス制限（WP-17）。", "Access restricted to the tenant's own resources (WP-17)."},
	{18, "特権的なユーティリティプログラムの使用", "Use of privileged utility programs", "9.4.4", "8.18", ClassTechnical, []string{"WP-18"}, "SSH/RDP の禁止と記録されたセッション（WP-18）。", "No SSH/RDP; logged sessions only (WP-18)."},
	{19, "仮想コンピューティング環境における分離", "Segregation in virtual computing environments", "CLD.9.5.1", "8.22", ClassTechnical, []string{"WP-19", "WP-31"},
		"テナントごとの VPC、KMS キー、バケット（WP-19、WP-31）。", "A VPC, KMS key and buckets per tenant (WP-19, WP-31)."},
	{20, "仮想マシンの要塞化", "Virtual machine hardening", "CLD.9.5.2", "8.9", ClassTechnical, []string{"WP-20.1", "WP-20.2", "WP-20.3", "WP-20.4", "WP-20.5"},
		"必要なポートとプロトコルのみ、マルウェア対策、インスタンスの強化、ログ収集（WP-20.1〜20.5）。", "Only the needed ports and protocols, anti-malware, hardened instances, host logs (WP-20.1 to 20.5)."},
	{21, "暗号による管理策の利用方針", "Policy on the use of cryptographic controls", "10.1.1", "8.24", ClassTechnical, []string{"WP-21.1", "WP-21.2"},
		"保存時（テナントの KMS キー）と通信時（TLS 1.2 以上）の暗号化（WP-21.1、WP-21.2）。", "Encryption at rest with the tenant's KMS key and in transit with TLS 1.2+ (WP-21.1, WP-21.2)."},
	{22, "装置のセキュリティを保った処分又は再利用", "Secure disposal or re-use of equipment", "11.2.7", "7.14", ClassTechnical, []string{"WP-22"},
		"KMS キーの削除と旧バージョンの失効（WP-22）。物理装置の処分は AWS の責任範囲です。", "Key deletion and noncurrent versions expired (WP-22); physical media are AWS's."},
	{23, "変更管理", "Change management", "12.1.2", "8.32", ClassProcess, nil,
		"変更はプルリクエストの審査、承認された更新計画の適用、リング単位の展開で行います（`docs/operations.md`）。", "Changes go through reviewed pull requests, approved update plans and rings (docs/operations.md)."},
	{24, "容量・能力の管理", "Capacity management", "12.1.3", "8.6", ClassTechnical, []string{"WP-24"}, "容量の監視とアラーム（WP-24）。", "Capacity monitoring and alarms (WP-24)."},
	{25, "実務管理者の運用セキュリティ", "Administrator's operational security", "CLD.12.1.5", "5.37", ClassProcess, nil,
		"手順書（`docs/operations.md`）に従う運用と、承認つきのパイプラインによる変更です。", "Operations follow the runbook (docs/operations.md); changes go through the approved pipelines."},
	{26, "情報のバックアップ", "Information backup", "12.3.1", "8.13", ClassProcess, []string{"WP-22"},
		"データベースの自動バックアップは WP-22 が確認します。バックアップの取得範囲と復元試験は提供者の手順です。", "The database's automated backups are checked by WP-22; what is backed up and restore tests are the provider's."},
	{27, "イベントログ取得", "Event logging", "12.4.1", "8.15", ClassTechnical, []string{"WP-27"}, "証跡、フローログ、アクセスログ（WP-27）。", "The trail, flow logs and access logs (WP-27)."},
	{28, "クロックの同期", "Clock synchronisation", "12.4.4", "8.17", ClassTechnical, []string{"WP-28"}, "NTP への同期と日本時間（WP-28）。", "NTP sync and JST (WP-28)."},
	{29, "クラウドサービスの監視", "Monitoring of cloud services", "CLD.12.4.5", "8.16", ClassTechnical, []string{"WP-24", "WP-37"}, "監視アラームと通知（WP-24、WP-37）。", "Monitoring alarms and notifications (WP-24, WP-37)."},
	{30, "技術的脆弱性の管理", "Management of technical vulnerabilities", "12.6.1", "8.8", ClassTechnical, []string{"WP-30"},
		"Inspector とパッチ適用（WP-30）。年次の第三者評価は提供者の手順です。", "Inspector and patching (WP-30); the yearly third-party assessment is the provider's."},
	{31, "ネットワークの分離", "Segregation in networks", "13.1.3", "8.22", ClassTechnical, []string{"WP-31"}, "テナント間の経路がないこと（WP-31）。", "No route between tenants (WP-31)."},
	{32, "仮想および物理ネットワークのためのセキュリティ管理の整合", "Alignment of security management for virtual and physical networks", "CLD.13.1.4", "8.20", ClassTechnical, []string{"WP-20.2", "WP-31"},
		"仮想ネットワークの設定（ネットワーク ACL、経路）が方針どおりであること（WP-20.2、WP-31）。物理ネットワークは AWS の責任範囲です。", "The virtual networks' NACLs and routes as the policy says (WP-20.2, WP-31); the physical network is AWS's."},
	{33, "情報セキュリティ要求事項の分析および仕様化", "Information security requirements analysis and specification", "14.1.1", "5.8", ClassProcess, nil,
		"要求事項は本書と管理策カタログ（`docs/controls.ja.md`）として定めます。", "Requirements are this document and the control catalog (docs/controls.md)."},
	{34, "セキュリティに配慮した開発のための方針", "Secure development policy", "14.2.1", "8.25", ClassProcess, nil,
		"開発の方針は提供者の開発規程によります。本ツール自体はレビューとテストを経て変更されます。", "The provider's development rules; this toolkit itself changes through review and tests."},
	{35, "供給者との合意におけるセキュリティの取扱い", "Addressing security within supplier agreements", "15.1.2", "5.20", ClassProcess, nil,
		"AWS を含む供給者との契約は提供者の購買手順で管理します。", "Agreements with suppliers, AWS included, are the provider's procurement's."},
	{36, "ICT サプライチェーン", "ICT supply chain", "15.1.3", "5.21", ClassProcess, nil,
		"依存するツール（Pulumi CLI、AWS プラグイン、GitHub Actions）は版とチェックサムで固定します。供給者の評価は提供者の手順です。", "The tools relied on (Pulumi CLI, the AWS plugin, GitHub Actions) are pinned by version and checksum; assessing suppliers is the provider's."},
	{37, "責任および手順", "Responsibilities and procedures", "16.1.1", "5.24", ClassTechnical, []string{"WP-37"},
		"検知から通知までの経路（WP-37）。利用者への連絡はサポート窓口の手順です。", "The route from detection to notification (WP-37); telling the customer is the support desk's."},
	{38, "情報セキュリティ事象の報告", "Reporting information security events", "16.1.2", "6.8", ClassTechnical, []string{"WP-37"}, "事象の検知結果を通知先へ送る経路（WP-37）。", "Findings routed to the alert topic (WP-37)."},
	{39, "証拠の収集", "Collection of evidence", "16.1.7", "5.28", ClassProcess, []string{"WP-39"},
		"当局等の求めに応じた証拠の提出は提供者の法務の手順です。その求めに必要な記録を改ざんできない形で保つことは WP-39 が構築し検証します。", "Disclosing evidence on a lawful request is the provider's legal team's; WP-39 keeps the records such a request needs where no one can alter them."},
	{40, "適用法令および契約上の要求事項の特定", "Identification of applicable legislation and contractual requirements", "18.1.1", "5.31", ClassProcess, nil,
		"適用法令の特定は提供者の法務が行います。", "The provider's legal team identifies the applicable law."},
	{41, "知的財産権", "Intellectual property rights", "18.1.2", "5.32", ClassProcess, nil, "知的財産権の扱いは契約によります。", "By contract."},
	{42, "記録の保護", "Protection of records", "18.1.3", "5.33", ClassTechnical, []string{"WP-39"}, "オブジェクトロックによる記録の保護（WP-39）。", "Records protected under Object Lock (WP-39)."},
	{43, "暗号化機能に対する規制", "Regulation of cryptographic controls", "18.1.5", "5.31", ClassTechnical, []string{"WP-21.2"},
		"利用する暗号は AWS が国内で提供するもの（TLS 1.2 以上、KMS）に限ります（WP-21.2）。", "Only the cryptography AWS offers in Japan (TLS 1.2+, KMS) (WP-21.2)."},
	{44, "情報セキュリティの独立したレビュー", "Independent review of information security", "18.2.1", "5.35", ClassTechnical, []string{"WP-44"},
		"本報告書が独立したレビューの材料です（WP-44）。第三者によるレビューの実施は提供者の手順です。", "This report is the review's material (WP-44); commissioning the review is the provider's."},
}

// ClausesOf are the ISO/IEC 27017:2015 and 27002:2022 clauses a control
// answers, from the sections it makes true.
func ClausesOf(controlID string) (iso27017, iso27002 []string) {
	for _, s := range Sections {
		for _, c := range s.Controls {
			if c == controlID && s.Class == ClassTechnical {
				iso27017 = appendNew(iso27017, s.ISO27017)
				iso27002 = appendNew(iso27002, s.ISO27002)
			}
		}
	}
	return iso27017, iso27002
}

func appendNew(list []string, v string) []string {
	for _, x := range list {
		if x == v {
			return list
		}
	}
	return append(list, v)
}

// ApplicabilityIn is the statement of applicability in Markdown.
func ApplicabilityIn(lang string) string {
	var b strings.Builder
	if lang == LangJA {
		fmt.Fprintf(&b, "## 適用宣言書（ホワイトペーパー全%d項）\n\nホワイトペーパー %s の全項について、満たし方を示します。ISO/IEC 27002:2022 の番号は 27002:2013 からの対応（27002:2022 附属書 B）によります。\n\n", SectionCount, Edition)
		b.WriteString("| 項番 | 項目 | 区分 | 管理策 | ISO/IEC 27017 | ISO/IEC 27002:2022 | 満たし方 |\n|---|---|---|---|---|---|---|\n")
		for _, s := range Sections {
			fmt.Fprintf(&b, "| %d | %s | %s | %s | %s | %s | %s |\n", s.Number, Cell(s.TitleJA), ClassName(s.Class, lang), Cell(strings.Join(s.Controls, ", ")), Cell(s.ISO27017), Cell(s.ISO27002), Cell(s.HowJA))
		}
		return b.String()
	}
	fmt.Fprintf(&b, "## Statement of applicability (all %d sections of the whitepaper)\n\nHow each section of the whitepaper (%s) is met. ISO/IEC 27002:2022 numbers follow its Annex B mapping from 27002:2013.\n\n", SectionCount, Edition)
	b.WriteString("| § | Section | Class | Controls | ISO/IEC 27017 | ISO/IEC 27002:2022 | How |\n|---|---|---|---|---|---|---|\n")
	for _, s := range Sections {
		fmt.Fprintf(&b, "| %d | %s (%s) | %s | %s | %s | %s | %s |\n", s.Number, Cell(s.TitleEN), s.TitleJA, ClassName(s.Class, lang), Cell(strings.Join(s.Controls, ", ")), Cell(s.ISO27017), Cell(s.ISO27002), Cell(s.HowEN))
	}
	return b.String()
}
