package catalog

import (
	"os"
	"strings"
)

// Languages the reports a person reads are written in. The customers'
// reviewers read Japanese (the whitepaper is Japanese); operators may read
// either.
const (
	LangJA = "ja"
	LangEN = "en"
)

// Langs are the languages, in the order reports offer them.
var Langs = []string{LangJA, LangEN}

// LangFromEnv is the language the locale asks for (LC_ALL, then
// LC_MESSAGES, then LANG, as POSIX orders them): Japanese for a ja_*
// locale, English otherwise.
func LangFromEnv() string {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := os.Getenv(k); v != "" {
			if strings.HasPrefix(strings.ToLower(v), "ja") {
				return LangJA
			}
			return LangEN
		}
	}
	return LangEN
}

// SectionTitleEN is the English title of each whitepaper section a control
// answers: the ISO/IEC 27017 (27002) control the section follows, as the
// Japanese title (Control.TitleJA) is JIS Q 27017's.
var SectionTitleEN = map[string]string{
	"WP-07":   "Contact with authorities",
	"WP-10":   "Removal of cloud service customer assets",
	"WP-11":   "Inventory of assets",
	"WP-12":   "Labelling of information",
	"WP-15":   "Management of privileged access rights",
	"WP-17":   "Information access restriction",
	"WP-18":   "Use of privileged utility programs",
	"WP-19":   "Segregation in virtual computing environments",
	"WP-20.1": "Virtual machine hardening",
	"WP-20.2": "Virtual machine hardening",
	"WP-20.3": "Virtual machine hardening",
	"WP-20.4": "Virtual machine hardening",
	"WP-20.5": "Virtual machine hardening",
	"WP-21.1": "Policy on the use of cryptographic controls",
	"WP-21.2": "Policy on the use of cryptographic controls",
	"WP-22":   "Secure disposal or re-use of equipment",
	"WP-24":   "Capacity management",
	"WP-27":   "Event logging",
	"WP-28":   "Clock synchronization",
	"WP-30":   "Management of technical vulnerabilities",
	"WP-31":   "Segregation in networks",
	"WP-37":   "Responsibilities and procedures",
	"WP-39":   "Collection of evidence",
	"WP-44":   "Independent review of information security",
}

// Texts are a control's words in one language.
type Texts struct {
	// Section is the whitepaper section's title.
	Section string
	// Title says the promise in a line.
	Title string
	// Plan and Live say what the plan rule and the live checks establish.
	Plan, Live string
	// Remediation: what to change, and where, when the control does not pass.
	Remediation string
	// Process: what stays a process of the provider.
	Process string
}

// TextsOf gives a control's words in a language (English for any other).
func TextsOf(c Control, lang string) Texts {
	if lang == LangJA {
		ja := Japanese[c.ID]
		return Texts{Section: c.TitleJA, Title: ja.Title, Plan: ja.Plan, Live: ja.Live, Remediation: ja.Remediation, Process: ja.Process}
	}
	return Texts{Section: SectionTitleEN[c.ID], Title: c.Title, Plan: c.Plan, Live: c.Live, Remediation: Remediation[c.ID], Process: Process[c.ID]}
}

// Japanese holds every control's words in Japanese, for the customers'
// reviewers (a test requires each, where the English has one).
var Japanese = map[string]Texts{
	"WP-07": {
		Title:       "利用者のデータは日本国内に保管する",
		Plan:        "Pulumi の AWS プロバイダーのリージョンが許可された国内リージョンであること、リージョンを上書きするリソースがないこと、S3 レプリケーションはスタック自身のバケットへのみであること。",
		Live:        "バケットの所在リージョン、証跡のホームリージョン、KMS キーとロググループの ARN が許可されたリージョンにあること。すべてのバケットのレプリケーションルールがスタック自身のバケットへのみであること（外部の複製先はそのリージョンを示す）。",
		Remediation: "`tenantkit:region` は `ap-northeast-1` のまま（`ap-northeast-3` は `disasterRecovery` 指定時のみ）。他リージョンに作られたものを削除し、`pulumi up --refresh` を実行する。",
	},
	"WP-10": {
		Title:       "解約時：翌日にアクセスを停止し、30 日以内に削除する",
		Plan:        "停止中のスタックは VPC 外からの受信を許さないこと。KMS キーの削除待機期間が期限までの残り日数に収まること。",
		Live:        "停止後はどのリスナーもルールも外部からの通信を受け付けないこと。削除後はテナントのタグが付いたものが何も残らないこと。",
		Remediation: "`tenantctl offboard due` が示す手順（停止、削除）を実行する。期限を過ぎた場合はインシデントとして記録する。停止後に外部からの通信を許すルールやリスナーが残っていれば `pulumi up --refresh` で取り除く。",
		Process:     "利用者によるデータの取り出しはアクセス停止前に行う（サポート窓口、依頼に応じて）。解約日は運用者が記録する（`tenantctl offboard --cancelled-on`）。",
	},
	"WP-11": {
		Title:       "資産目録：すべてのリソースに `Tenant`・`ManagedBy`・`Environment` タグ",
		Plan:        "タグ付け可能なすべてのリソースに、スタックの値で 3 つのタグが付くこと。",
		Live:        "テナントのタグで見つかるリソースがスタックのインベントリと一致すること。",
		Remediation: "タグは手作業でなくスタックで付ける：`pulumi up --refresh` で `Tenant`・`ManagedBy`・`Environment` を戻す。手作業でタグを付けたリソースは削除するか取り込む。インベントリがスタックファイルと食い違う場合は再出力する（`pulumi stack output --json`）。",
	},
	"WP-12": {
		Title:       "ラベル付け：すべてのデータ保管先に `DataClassification`",
		Plan:        "すべてのバケット、ボリューム、データベース、ロググループに有効なラベルがあること。",
		Live:        "各保管先のラベルを読み戻し、スタックが与えるラベルと比べる：データバケットはその区分、ログバケット、ロググループ、データベース、インスタンスのボリュームはテナントの最も厳しい区分。",
		Remediation: "`tenantkit:dataClassifications` にテナントが保持するデータの区分を設定し、`pulumi up --refresh` で `DataClassification` タグを戻す。",
	},
	"WP-15": {
		Title:       "特権アクセスには MFA が必要。テナントに長期アクセスキーなし",
		Plan:        "管理ロールの信頼ポリシーが MFA を要求すること。IAM ユーザーやアクセスキーがないこと。パスワードポリシーが最低基準を満たすこと。",
		Live:        "人が使うロールの信頼ポリシーを読み戻す（すべての `Allow` に MFA）。アカウントのすべての IAM ユーザーとそのアクセスキー、ルートユーザーのアクセスキー（いずれもないこと）。パスワードポリシーをベースラインの値と比べる。",
		Remediation: "人が使うロールには MFA が必要（`components/access`）。アカウントのパスワードポリシーはベースラインが設定する（`baseline` スタックで `pulumi up`）。長期アクセスキーは削除する。",
		Process:     "人のアカウント、MFA デバイスとその見直しは運用者の ID プロバイダで管理する。",
	},
	"WP-17": {
		Title:       "アクセスはテナント自身のリソースに限る",
		Plan:        "ポリシーがテナントの ARN に限定されていること。条件で制限されない `*` プリンシパルがないこと。",
		Live:        "バケットポリシー、テナントの KMS キーのキーポリシー、テナントのロールのすべてのポリシー（インライン、アタッチ）を読み戻し、デプロイ前と同じ基準で判定する：無制限のプリンシパルなし、他アカウントなし、KMS キーが使わせるサービスのみ、他テナントを拒否、全リソースへの `Allow` なし。",
		Remediation: "バケットと KMS キーのポリシーはスタックが定める：手で編集されたポリシーは `pulumi up --refresh` で置き換わる。他テナントのパスを許可しないこと。",
	},
	"WP-18": {
		Title:       "裏口なし：SSH/RDP を開けない。Session Manager を記録する",
		Plan:        "22/3389 を開けるルールがないこと。ベースラインの既定の Session Manager 設定は、テナントのドキュメントを指定しないセッションを拒否すること（セッションデータをベースラインの KMS キーで暗号化）。テナント自身のセッションドキュメントが、テナントの KMS キーで暗号化した自身のロググループへ記録すること。インスタンスロールが、記録されるセッションに必要なすべての呼び出しを許可されていること。",
		Live:        "22/3389 を開けるセキュリティグループルールがないこと。既定の設定とテナントのセッションドキュメントを読み戻す。インスタンスロールのポリシーを読み戻し、呼び出しごとに判定する（ロググループの確認、ストリームの作成と書き込み、セッションの KMS キーの復号）。判定が準拠であれば、セッションを開始でき、テナントのロググループに記録される。",
		Remediation: "SSH/RDP のルールを削除する（`pulumi up --refresh`）。Session Manager の記録はベースラインの設定（セッション設定、`baseline` スタック）。",
	},
	"WP-19": {
		Title:       "分離：テナント専用の VPC、KMS キー、バケット",
		Plan:        "テナントごとに VPC と KMS キーが 1 つ。既定のセキュリティグループは空。ピアリングやトランジットゲートウェイがないこと。",
		Live:        "同じ内容を読み戻す。",
		Remediation: "テナントごとに VPC、KMS キー、バケットは 1 組：他のスタックや人がテナントの VPC に追加したものを取り除く。KMS キーを共有しないこと。",
	},
	"WP-20.1": {
		Title:       "必要なポートのみ",
		Plan:        "ロードバランサーの 443/80 以外にインターネットからの受信がないこと。ポート範囲がないこと。階層間はグループで参照すること。",
		Live:        "デプロイされたすべてのルールが宣言した階層マトリクスと一致すること。",
		Remediation: "階層マトリクスのポートのみ（`lb` は `tenantkit:ingressCidrs` からの 443/80、`app` は `lb` からの `tenantkit:appPort`、`db` は `app` から）：それ以外のルールは `pulumi up --refresh` で取り除く。",
	},
	"WP-20.2": {
		Title:       "必要なプロトコルのみ。ネットワーク ACL は既定で拒否",
		Plan:        "全プロトコルの受信がないこと。すべてのサブネットにネットワーク ACL があり、22 と 3389 をすべての許可より先に拒否すること（ロードバランサーまたは NAT ゲートウェイのあるサブネットでは、戻りのポート範囲に含まれる 3389 を除く）。",
		Live:        "同じ内容を読み戻す。ロードバランサーと NAT ゲートウェイのあるサブネットは AWS から読む。",
		Remediation: "ネットワーク ACL とプロトコルはスタックが定める（`components/network`）：`pulumi up --refresh`。ポートは手作業でなくスタックのキーで追加する。",
	},
	"WP-20.3": {
		Title:       "マルウェア対策：EBS マルウェア保護付きの GuardDuty",
		Plan:        "ベースラインが検出器と機能を宣言すること。",
		Live:        "検出器が有効で、検出結果の発行頻度とすべてのマルウェア保護機能がベースラインの宣言どおりであること。",
		Remediation: "EBS マルウェア保護付きの GuardDuty はベースラインの担当：`baseline` スタックをデプロイする（`baseline/` で `pulumi up`）。",
	},
	"WP-20.4": {
		Title:       "インスタンスの要塞化：IMDSv2、暗号化 EBS、パブリック IP なし",
		Plan:        "起動テンプレートが `httpTokens=required`、暗号化ボリューム、パブリック IP なしであること。",
		Live:        "起動テンプレートを読み戻す。EBS の既定暗号化が有効であること。",
		Remediation: "起動テンプレートとサブネットはスタックが定める：`pulumi up --refresh`（IMDSv2、暗号化ボリューム、パブリック IP なし）。EBS の既定暗号化はベースラインの担当。",
	},
	"WP-20.5": {
		Title:       "ホストのログ収集：全インスタンスのシステム、認証、Systems Manager エージェントのログ（項番20④）",
		Plan:        "起動スクリプトが `rsyslog` を導入し、CloudWatch エージェントが `/var/log/messages`、`/var/log/secure`、SSM エージェントのログをテナントのホストロググループへ送ること（テナントの KMS キーで暗号化、WP-21.1 と WP-39 のとおり保持）。インスタンスロールはそこにのみ書き込めること。",
		Live:        "実行中の起動テンプレートのバージョンの起動スクリプトを読み戻す。グループのすべてのインスタンスが、設定した各ファイルのストリームをホストロググループに持ち、最新のイベントが 1 時間以内であること（起動直後のインスタンスは確認待ち）。",
		Remediation: "`rsyslog` とエージェントのログ収集を導入する起動スクリプトでインスタンスが起動するよう、スタックを再デプロイする（`pulumi up` の後、グループのインスタンスを更新）。インスタンスロールとホストロググループがあることを確認する。",
	},
	"WP-21.1": {
		Title:       "保管時の暗号化はテナントの KMS キーで、ローテーション有効",
		Plan:        "すべての保管先がテナントの KMS キーを指定すること（`service-logs` バケットは SSE-S3）。KMS キーのローテーションが有効であること。",
		Live:        "バケットの暗号化、KMS キーのローテーションとその周期、ロググループの KMS キー、データベースの暗号化、トピックの KMS キー、テナントのインスタンスに接続されたすべてのボリュームを読み戻し、それぞれテナントの KMS キーと比べる。",
		Remediation: "テナントの KMS キーによる暗号化はスタックが定める：`pulumi up --refresh` でバケットの暗号化と KMS キーのローテーションを戻す。暗号化されていないデータベースは、スナップショットを暗号化したインスタンスへ復元する（RDS はその場で暗号化できない）。",
	},
	"WP-21.2": {
		Title:       "通信の暗号化：TLS 1.2 以上",
		Plan:        "リスナーのポリシーが許可リストにあること。80 はリダイレクト。バケットは TLS なしと TLS 1.2 未満を拒否。データベースは TLS を強制すること。",
		Live:        "リスナー、バケットポリシー、データベースのパラメータを読み戻す。",
		Remediation: "`tenantkit:tlsPolicy` は許可リストのものにする。バケットの TLS 拒否とデータベースの `rds.force_ssl` はスタックが定める：`pulumi up --refresh`。",
	},
	"WP-22": {
		Title:       "安全な処分：KMS キーの削除、古いバージョンの失効",
		Plan:        "すべてのバケットに、最新でないバージョンを失効させるライフサイクルルールがあること。",
		Live:        "ライフサイクルを読み戻す。解約後は KMS キーの状態、データベースのスナップショットと自動バックアップ（設定どおり保持、暗号化）を確認する。",
		Remediation: "ライフサイクルルール、KMS キーの削除待機期間、バックアップはスタックが定める：`pulumi up --refresh`。テナントより長く残る手動スナップショットは削除する。",
	},
	"WP-24": {
		Title:       "容量と監視のアラーム",
		Plan:        "メモリ、CPU、ディスクのアラームが設定値のしきい値で、購読者のいる暗号化トピックへ通知すること。",
		Live:        "各アラームをスタックの宣言と項目ごとに比べる（メトリクス、名前空間、しきい値、統計、期間、評価期間数、比較演算子、欠損データの扱い、対象グループ）。有効で、トピックへ通知すること。トピックの購読者が `alertEmails` と一致し、それぞれ確認済みで、ほかに購読者がいないこと。",
		Remediation: "すべての通知購読を確認し（メールのリンク）、`tenantkit:alertEmails` を設定する。アラームはスタックが定める：`pulumi up --refresh`。",
		Process:     "メールの購読を確認し、アラームに対応する担当者がいること。",
	},
	"WP-27": {
		Title:       "イベントログ：証跡、フローログ、アクセスログ",
		Plan:        "VPC のフローログ。バケットとロードバランサーのアクセスログ。証跡がバケットを対象にすること。共有証跡モードでは、アカウント証跡のうちテナント自身の記録（バケットのオブジェクトイベント、テナントのロールの呼び出し）を `/tenants/<tenant>/cloudtrail` へ写す 2 つのルール（テナントのログ閲覧ロールが読める）。",
		Live:        "証跡が記録中で、すべての管理イベント（読み取りと書き込み）を想定どおりのアーカイブバケットとプレフィックスへ、検証付き、暗号化して記録し、最新の配信が 1 日以内で、バケットを対象にしていること。フローログが有効。アクセスログが有効。共有モードでは写しのルール、その送り先グループ、EventBridge に書き込みを許すベースラインのリソースポリシー。",
		Remediation: "証跡を再開し（`aws cloudtrail start-logging`）、フローログとアクセスログは `pulumi up --refresh` で戻す。共有証跡モードでテナントを追加したらベースラインをデプロイする（証跡のセレクタと、テナントの写しのルールが必要とするリソースポリシー）。",
		Process:     "共有証跡モードでテナントが読む自身の API 記録の写しはベストエフォート（CloudTrail から EventBridge への配信がそうであるため）。改変できない記録はアカウントのアーカイブにあり、依頼に応じて提供者がテナントの記録を取り出す。",
	},
	"WP-28": {
		Title:       "NTP へのクロック同期、JST",
		Plan:        "169.254.169.123 を指定した DHCP オプションが関連付けられていること。起動スクリプトが `chrony` と `Asia/Tokyo` を設定すること。データベースのパラメータグループが `timezone` を `Asia/Tokyo` にすること。",
		Live:        "VPC の DHCP オプション、実行中の起動テンプレートの起動スクリプト（`chrony`、`Asia/Tokyo`）、データベースの `timezone` パラメータを読み戻す。実行中インスタンス内の時計は読まない：SSM の既定のインベントリには時刻源もタイムゾーンもない。",
		Remediation: "DHCP オプション、起動スクリプトの `chrony` と `Asia/Tokyo`、データベースのタイムゾーンはスタックが定める：`pulumi up --refresh` の後、インスタンスを更新する。",
	},
	"WP-30": {
		Title:       "技術的脆弱性の管理",
		Plan:        "ベースラインが Inspector を宣言すること。テナントごとのパッチ適用の関連付け。重要度が高または重大の新しい検出結果をテナントのトピックへ通知すること（WP-37）。",
		Live:        "Inspector のアカウント状態。テナントの全インスタンスが Inspector の対象で、1 週間以内にスキャンされていること。スタックの文書とスケジュールの関連付けがあること。テナントの有効な重要度が高または重大の Inspector の検出結果（一件ずつ表示）。全インスタンスの Patch Manager の状態（欠落なし、失敗なし、8 日以内のスキャン。未スキャンは非準拠、それより新しいインスタンスは確認待ち）。",
		Remediation: "パッチ：インスタンスで `AWS-RunPatchBaseline` を実行し（テナントのパッチ関連付け）、Inspector の報告を修正する。Inspector 自体はベースラインの担当。",
		Process:     "年 1 回の第三者による脆弱性診断（項番30）と、その結果への対応。",
	},
	"WP-31": {
		Title:       "ネットワークの分離",
		Plan:        "CIDR がスタック間で重複せず、予約範囲の外にあること。他テナントへの経路がないこと。エンドポイントがあること。",
		Live:        "テナントのルートテーブルのすべてのルートを読み戻す：宛先は `local`、テナントのインターネットゲートウェイ、NAT ゲートウェイ、S3 エンドポイントのみ（VPN、トランジット、ピアリングなどそれ以外は非準拠）、他テナントへの経路がないこと。エンドポイントがあること。",
		Remediation: "他テナントへの経路、ピアリング、トランジットゲートウェイを取り除く。VPC エンドポイントはスタックが定める：`pulumi up --refresh`。新しい範囲は他のスタックと重複させないこと。",
	},
	"WP-37": {
		Title:       "インシデントの通知（目標：検知から 1 営業日以内に利用者へ、項番37）",
		Plan:        "テナントの通知トピックへの EventBridge ルール：重要度が中以上の GuardDuty の検出結果、テナントのインスタンスに関する重要度が高または重大の Inspector の検出結果、テナントの KMS キーの削除予定・無効化・ローテーション停止・新しいポリシー、証明書の期限。",
		Live:        "各ルールが有効で、パターンがテナントのもので、トピックを送り先にしていること。トピックの確認済み購読者（WP-24）。利用者への 1 営業日以内の連絡はサポート窓口の手順に残る。",
		Remediation: "通知経路はスタックが定める：`pulumi up --refresh` でルールとトピックへの送り先を作り直すか有効にする。",
		Process:     "検知から 1 営業日以内にサポート窓口から利用者へ連絡する（項番37）。ルートユーザーのサインインは通知しない：CloudTrail はコンソールのサインインをサインインエンドポイントのリージョン（グローバルエンドポイントは `us-east-1`）に記録し、WP-07 はそこにリソースを許さないため。アカウント所有者が監視する（組織レベルのルール、ルートユーザーの MFA）。",
	},
	"WP-39": {
		Title:       "証拠と記録の保護",
		Plan:        "Object Lock と設定どおりの保持期間を持つログアーカイブ。`service-logs` バケット（S3 はロックを許さない）がすべてのオブジェクトをアーカイブへ複製し、アーカイブのロックが写しを守ること。削除を拒否する記述。設定どおりのログ保持期間。",
		Live:        "同じ内容を読み戻す。",
		Remediation: "ログバケットのバージョニング、Object Lock、拒否の記述、ロググループの保持期間はスタックが定める：`pulumi up --refresh`。Object Lock なしで作られたバケットは作り直す（Object Lock は作成時に設定する）。写しが止まっていた間に届いたアクセスログは S3 バッチレプリケーションで写す。",
		Process:     "ロググループを削除できる非常用ロールは日常業務で使わない（アカウントが組織に属する場合は SCP で）。",
	},
	"WP-44": {
		Title:       "独立したレビュー：エビデンスとなる報告書",
		Live:        "この報告書そのもの。アカウントを照合する：認証情報のアカウント（STS）が、EC2 と KMS がテナントの VPC と KMS キーを保持しているアカウントと一致すること。",
		Remediation: "すべてのテナントで `tenantctl verify` を実行し（夜間のワークフロー）、報告書を保管する。",
	},
}

// Words of the reports, in both languages.
type Words struct {
	Report, Fleet, Tenant, Account, Region, Time, Tool, Overall, Control, Section,
	// Cell heads a group of the fleet page: the tenants of one cell (one
	// AWS account); NoCell the tenants of a fleet without cells.
	Cell, NoCell string
	// TenantsIn counts a cell's tenants ("%d").
	TenantsIn string
	Status, Checks, Resource, Observed, Expected, WhatChecked, PlanRule, LiveChecks,
	WhatToDo, Process, Legend, NotAWS, Observations, Timeline, Cancelled, SuspendBy,
	DeleteBy, Done, Contents, ValuesAsRead, State, Caller, Mode string
	// The statement of applicability.
	Applicability, ApplicabilityNote, SectionNumber, Class, HowMet string
	// What the reader needs of the run (#37 item 6).
	Commit, Edition, Tenancy, TenancyShared, TenancyOwn string
	// SectionMark stands before a section's number: § in English, 項番
	// in Japanese (the whitepaper's own word).
	SectionMark string
	// The register of accepted exceptions.
	Exceptions, ExceptionsNote, AcceptedBy, AcceptedOn, Until, Reason, Ticket, ExceptionActive, ExceptionInactive string
	// Attached introduces a process document and its hash.
	Attached string
	// The history view of a tenant's reports.
	History, Day, Seal, SealOK, SealNotChecked, SealBroken string
	// ReadAt heads the column of when each observation was read.
	ReadAt string
	// ModeMeans says what each mode of finding the resources is.
	ModeMeans map[string]string
	// States are the lifecycle's states (active, suspended, deleting,
	// deleted) as a reader reads them.
	States        map[string]string
	StatusMeaning map[Status]string
	// StatusName is how a status is shown to a reader (the fleet page's
	// NOT VERIFIED, NO REPORT and DELETED among them); the English
	// status stays in the page's data attributes and CSS classes.
	StatusName map[Status]string
}

// StateName shows a lifecycle state in the words' language.
func (w Words) StateName(s string) string {
	if n, ok := w.States[s]; ok {
		return n
	}
	return s
}

// Say shows a status in the words' language (#37 item 8).
func (w Words) Say(s Status) string {
	if n, ok := w.StatusName[s]; ok {
		return n
	}
	return string(s)
}

// Fleet statuses that are not a report's.
const (
	NotVerified Status = "NOT VERIFIED"
	NoReport    Status = "NO REPORT"
	Deleted     Status = "DELETED"
	// PartlyJudged is a PASS beside checks that did not judge.
	PartlyJudged Status = "PASS (part not judged)"
)

// WordsIn gives the report's words in a language.
func WordsIn(lang string) Words {
	if lang == LangJA {
		return Words{
			Cell: "セル", NoCell: "セルの指定なし", TenantsIn: "テナント数 %d",
			Report: "エビデンス報告書", Fleet: "全テナントの状況", Tenant: "テナント", Account: "アカウント", Region: "リージョン",
			Time: "作成日時", Tool: "ツール", Overall: "総合判定", Control: "管理策", Section: "ホワイトペーパーの項番",
			Status: "判定", Checks: "確認項目", Resource: "リソース", Observed: "読み取った値", Expected: "あるべき値",
			WhatChecked: "確認した内容", PlanRule: "デプロイ前の判定", LiveChecks: "デプロイ後の判定（AWS から読み取った値による）",
			WhatToDo: "対応方法", Process: "運用手順として残るもの", Legend: "判定の意味",
			NotAWS:       "AWS ではありません：エミュレータまたはプロキシ %s に対して確認した結果です。AWS アカウントについてのエビデンスにはなりません。",
			Observations: "所見", Timeline: "解約の進行（項番10）", Cancelled: "解約日", SuspendBy: "停止期限", DeleteBy: "削除期限", Done: "完了",
			State: "状態", Caller: "実行者", Mode: "リソースの特定方法", Contents: "目次", ReadAt: "読み取り時刻（JST）", SectionMark: "項番",
			Attached: "添付された実施記録", History: "判定の履歴", Day: "日付（JST）", Seal: "署名", SealOK: "署名どおり", SealNotChecked: "未確認（公開鍵の指定なし）", SealBroken: "署名と不一致",
			Exceptions: "例外登録簿（受容したリスク）", ExceptionsNote: "例外は判定を変えません。管理策の指摘事項はそのまま残ります。理由と受容者は登録簿の記載どおりです。",
			AcceptedBy: "受容者", AcceptedOn: "受容日", Until: "期限", Reason: "理由", Ticket: "記録", ExceptionActive: "有効", ExceptionInactive: "期限切れまたは開始前",
			ModeMeans: map[string]string{"inventory": "スタックの出力による", "discover": "タグと名前による"},
			States:    map[string]string{"active": "利用中", "suspended": "停止済み", "deleting": "削除中", "deleted": "削除済み"}, Applicability: "適用宣言書（ホワイトペーパー全44項）",
			ApplicabilityNote: "ホワイトペーパー %s の全項について、満たし方と、本報告書での判定結果を示します。ISO/IEC 27002:2022 の番号は 27002:2013 からの対応（附属書 B）によります。",
			Commit:            "期待値を読んだスタック定義のコミット", Edition: "ホワイトペーパーの版", Tenancy: "AWS アカウントの共有",
			TenancyShared: "この AWS アカウントを他の %d テナントと共有しています（プール型）。テナント間の分離はテナントごとの VPC、KMS キー、IAM ロールとバケットポリシーによるもので、WP-17、WP-19、WP-31 が検証します。アカウントの管理者（提供者の運用担当者）はすべてのテナントに到達できます。",
			TenancyOwn:    "この AWS アカウントを使うテナントは本テナントのみです（サイロ型）。",
			SectionNumber: "項番", Class: "区分", HowMet: "満たし方", ValuesAsRead: "リソース名と読み取った値は AWS から読んだままを表示しています（英語）。",
			StatusMeaning: map[Status]string{
				Pass:    "AWS から読み取り、管理策の要求どおりであった。",
				Fail:    "AWS から読み取り、要求どおりでなかった（指摘事項）。",
				Error:   "読み取れなかった、または判定できなかった（権限、AWS のものとは思えない応答、期限）。合格とはみなさない。",
				NA:      "この管理策は現在このテナントに該当しない（理由を併記）。",
				Unknown: "値がデプロイ時まで決まらないため、判定できなかった。",
				Pending: "読み取る値がまだ揃う時期ではない（起動直後のインスタンスなど）。揃う時期を併記する。合格とはみなさない。",
			},
			// AWS Config の日本語表示（準拠、非準拠）に倣う。
			StatusName: map[Status]string{
				Pass: "準拠", Fail: "非準拠", Error: "エラー", NA: "対象外", Unknown: "判定不能", Pending: "確認待ち",
				NotVerified: "未検証", NoReport: "報告書なし", Deleted: "削除済み", PartlyJudged: "準拠（一部未判定）",
			},
		}
	}
	return Words{
		Cell: "Cell", NoCell: "No cell named", TenantsIn: "%d tenants",
		Report: "Evidence report", Fleet: "Fleet", Tenant: "Tenant", Account: "Account", Region: "Region",
		Time: "Made", Tool: "Tool", Overall: "Overall", Control: "Control", Section: "Whitepaper section",
		Status: "Status", Checks: "Checks", Resource: "Resource", Observed: "Observed", Expected: "Expected",
		WhatChecked: "What was checked", PlanRule: "Before deploy (plan rule)", LiveChecks: "After deploy (read from AWS)",
		WhatToDo: "What to do", Process: "What stays a process", Legend: "What each status means",
		NotAWS:       "NOT AWS: verified against %s (an emulator or a proxy); this report is no evidence about an AWS account.",
		Observations: "Observations", Timeline: "Offboarding (§10)", Cancelled: "Cancelled", SuspendBy: "Suspend by", DeleteBy: "Delete by", Done: "Done",
		State: "State", Caller: "Run by", Mode: "Resources found by", Contents: "Contents", ReadAt: "Read at (JST)", SectionMark: "§",
		Attached: "Attached evidence", History: "History", Day: "Day (JST)", Seal: "Seal", SealOK: "as sealed", SealNotChecked: "not checked (no public key given)", SealBroken: "NOT AS SEALED",
		Exceptions: "Accepted exceptions (risks accepted)", ExceptionsNote: "An exception changes no status: the control's findings stand. Reason and who accepted it are as the register says.",
		AcceptedBy: "Accepted by", AcceptedOn: "On", Until: "Until", Reason: "Reason", Ticket: "Record", ExceptionActive: "active", ExceptionInactive: "expired or not yet begun",
		ModeMeans: map[string]string{"inventory": "the stack's outputs", "discover": "tags and names"}, Applicability: "Statement of applicability (all 44 sections of the whitepaper)",
		ApplicabilityNote: "How each section of the whitepaper (%s) is met, with this report's statuses. ISO/IEC 27002:2022 numbers follow its Annex B mapping from 27002:2013.",
		Commit:            "Stack files' commit (the expected values)", Edition: "Whitepaper edition", Tenancy: "AWS account tenancy",
		TenancyShared: "This AWS account is shared with %d other tenant(s) (the pool model). Tenants are separated by their own VPC, KMS key, IAM roles and bucket policies, which WP-17, WP-19 and WP-31 verify; the account's administrators (the provider's operators) reach every tenant.",
		TenancyOwn:    "No other tenant uses this AWS account (the silo model).",
		SectionNumber: "§", Class: "Class", HowMet: "How it is met", ValuesAsRead: "Resource names and observed values are shown as read from AWS.",
		StatusMeaning: map[Status]string{
			Pass:    "Read from AWS and as the control requires.",
			Fail:    "Read from AWS and not as required (a finding).",
			Error:   "Could not be read or judged (access, an answer that cannot be AWS's, a deadline); never a pass.",
			NA:      "The control does not apply to this tenant now, with the reason.",
			Unknown: "A value is computed at deploy time, so nothing could be judged.",
			Pending: "What is read is not due yet (an instance just launched), with when it will be; never a pass.",
		},
	}
}
