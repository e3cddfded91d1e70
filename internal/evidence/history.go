package evidence

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/tenantkit/tenantkit/internal/catalog"
	"github.com/tenantkit/tenantkit/internal/lifecycle"
)

// The history view (#37 item 6): a tenant's controls day by day over a
// period (the contract's), read from the evidence bucket where the nightly
// runs keep their sealed reports, each day's seal checked with the
// provider's public key. A day without a report says so: a gap in the
// evidence is itself something a reviewer must see.

// Bucket is the part of S3 the history reads.
type Bucket interface {
	ListObjectsV2(ctx context.Context, in *s3.ListObjectsV2Input, opts ...func(*s3.Options)) (*s3.ListObjectsV2Output, error)
	GetObject(ctx context.Context, in *s3.GetObjectInput, opts ...func(*s3.Options)) (*s3.GetObjectOutput, error)
}

// MaxObject bounds what the history reads of one object: reports are
// kilobytes; anything larger is not one of ours.
const MaxObject = 16 << 20

// maxKeys bounds the listing (a year of nightly runs of a few hundred
// tenants is well below it).
const maxKeys = 500_000

// Day is one JST day of the history.
type Day struct {
	Day string `json:"day"`
	// Status is the day's report's overall status, or NO REPORT.
	Status catalog.Status `json:"status"`
	// Controls are the report's control statuses.
	Controls map[string]catalog.Status `json:"controls,omitempty"`
	// Report is the report's key; Made when it was made (JST).
	Report string `json:"report,omitempty"`
	Made   string `json:"made,omitempty"`
	// Seal: SealHeld, "NOT AS SEALED: why", SealMissing or SealUnchecked
	// (no public key given).
	Seal string `json:"seal,omitempty"`
}

// What a Day says of its seal, besides "NOT AS SEALED: why".
const (
	SealHeld      = "as sealed"
	SealMissing   = "not sealed"
	SealUnchecked = "not checked"
)

// sealed reports whether a Day's seal held.
func (d Day) sealed() bool { return d.Seal == SealHeld }

// gap tells a day the evidence does not vouch for: no report, or a seal
// that was checked and did not hold.
func (d Day) gap() bool {
	return d.Status == catalog.NoReport || (d.Seal != SealUnchecked && !d.sealed())
}

// statusOf is the day's status of a control, "—" where its report has none.
func (d Day) statusOf(id string) catalog.Status {
	if s, ok := d.Controls[id]; ok {
		return s
	}
	return "—"
}

// report is what the history reads of a tenant's report (verify's JSON,
// schema tenantkit.verify/v1).
type report struct {
	Schema string `json:"schema"`
	Tenant string `json:"tenant"`
	Time   struct {
		JST string `json:"jst"`
	} `json:"time"`
	Status   catalog.Status `json:"status"`
	Controls []struct {
		ID     string         `json:"id"`
		Status catalog.Status `json:"status"`
	} `json:"controls"`
}

// History reads the tenant's reports under s3://bucket/prefix/ and gives
// one Day for every day from..to (JST, both included): the latest report
// made that day, or NO REPORT. With a public key each report's directory
// is downloaded and its seal checked (Check).
func History(ctx context.Context, c Bucket, bucket, prefix, tenant string, from, to lifecycle.Date, publicKeyPEM []byte) ([]Day, error) {
	if to.Before(from) {
		return nil, fmt.Errorf("--to %s is before --from %s", to, from)
	}
	prefix = strings.Trim(prefix, "/")
	dirs := map[string][]string{} // directory → its keys
	var token *string
	n := 0
	for {
		out, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String(prefix + "/"), ContinuationToken: token})
		if err != nil {
			return nil, fmt.Errorf("listing s3://%s/%s/: %w", bucket, prefix, err)
		}
		for _, o := range out.Contents {
			k := aws.ToString(o.Key)
			dirs[path.Dir(k)] = append(dirs[path.Dir(k)], k)
			if n++; n > maxKeys {
				return nil, fmt.Errorf("s3://%s/%s/ holds more than %d objects: name a narrower --bucket prefix", bucket, prefix, maxKeys)
			}
		}
		if !aws.ToBool(out.IsTruncated) || out.NextContinuationToken == nil || aws.ToString(out.NextContinuationToken) == aws.ToString(token) {
			break
		}
		token = out.NextContinuationToken
	}
	// The latest report of each day in the period, with its directory's
	// keys; only those are downloaded whole for their seals.
	type latest struct {
		day  Day
		keys []string
	}
	byDay := map[string]latest{}
	for dir, keys := range dirs {
		key := dir + "/" + tenant + ".json"
		if !slices.Contains(keys, key) {
			continue
		}
		b, err := get(ctx, c, bucket, key)
		if err != nil {
			return nil, err
		}
		var r report
		if err := json.Unmarshal(b, &r); err != nil || r.Schema != "tenantkit.verify/v1" || r.Tenant != tenant || len(r.Time.JST) < 10 {
			return nil, fmt.Errorf("s3://%s/%s is not %s's verify report (schema tenantkit.verify/v1)", bucket, key, tenant)
		}
		d := Day{Day: r.Time.JST[:10], Status: r.Status, Report: key, Made: r.Time.JST, Controls: map[string]catalog.Status{}, Seal: SealUnchecked}
		if d.Day < from.String() || d.Day > to.String() {
			continue
		}
		for _, ctl := range r.Controls {
			d.Controls[ctl.ID] = ctl.Status
		}
		if old, ok := byDay[d.Day]; !ok || old.day.Made < d.Made {
			byDay[d.Day] = latest{d, keys}
		}
	}
	var days []Day
	for day := from; !to.Before(day); day = day.AddDays(1) {
		l, ok := byDay[day.String()]
		d := l.day
		switch {
		case !ok:
			d = Day{Day: day.String(), Status: catalog.NoReport}
		case publicKeyPEM != nil:
			d.Seal = sealOf(ctx, c, bucket, l.keys, publicKeyPEM)
		}
		days = append(days, d)
	}
	return days, nil
}

// sealOf downloads one report directory and checks its seal.
func sealOf(ctx context.Context, c Bucket, bucket string, keys []string, pub []byte) string {
	tmp, err := os.MkdirTemp("", "tenantkit-history-")
	if err != nil {
		return "NOT AS SEALED: " + err.Error()
	}
	defer os.RemoveAll(tmp)
	sealed := false
	for _, k := range keys {
		b, err := get(ctx, c, bucket, k)
		if err != nil {
			return "NOT AS SEALED: " + err.Error()
		}
		name := path.Base(k)
		sealed = sealed || name == ManifestFile
		if err := os.WriteFile(filepath.Join(tmp, name), b, 0o600); err != nil {
			return "NOT AS SEALED: " + err.Error()
		}
	}
	if !sealed {
		return SealMissing
	}
	if _, err := Check(tmp, pub); err != nil {
		return "NOT AS SEALED: " + err.Error()
	}
	return SealHeld
}

func get(ctx context.Context, c Bucket, bucket, key string) ([]byte, error) {
	out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		return nil, fmt.Errorf("s3://%s/%s: %w", bucket, key, err)
	}
	defer out.Body.Close()
	b, err := io.ReadAll(io.LimitReader(out.Body, MaxObject+1))
	if err != nil {
		return nil, fmt.Errorf("s3://%s/%s: %w", bucket, key, err)
	}
	if len(b) > MaxObject {
		return nil, fmt.Errorf("s3://%s/%s is larger than %d bytes: not a report of ours", bucket, key, MaxObject)
	}
	return b, nil
}

// historyControls are the controls any day of the history holds, in the
// catalog's order.
func historyControls(days []Day) []string {
	seen := map[string]bool{}
	for _, d := range days {
		for id := range d.Controls {
			seen[id] = true
		}
	}
	var ids []string
	for _, c := range catalog.Controls {
		if seen[c.ID] {
			ids = append(ids, c.ID)
		}
	}
	return ids
}

// HistoryMarkdown renders the history as one table: a row per day, a
// column per control.
func HistoryMarkdown(w io.Writer, tenant string, days []Day, lang string) {
	words := catalog.WordsIn(lang)
	ids := historyControls(days)
	fmt.Fprintf(w, "# %s: %s (%s – %s)\n\n", words.History, tenant, days[0].Day, days[len(days)-1].Day)
	fmt.Fprintf(w, "| %s | %s | %s | %s |\n|%s\n", words.Day, words.Overall, words.Seal, strings.Join(ids, " | "), strings.Repeat("---|", 3+len(ids)))
	for _, d := range days {
		cells := make([]string, len(ids))
		for i, id := range ids {
			cells[i] = words.Say(d.statusOf(id))
		}
		// The seal's reason is an error's text: a cell, escaped.
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", d.Day, words.Say(d.Status), catalog.Cell(sealWord(d, words)), strings.Join(cells, " | "))
	}
}

func sealWord(d Day, w catalog.Words) string {
	switch {
	case d.Seal == "":
		return "—"
	case d.sealed():
		return w.SealOK
	case d.Seal == SealUnchecked:
		return w.SealNotChecked
	}
	return w.SealBroken + " (" + d.Seal + ")"
}

var historyPage = template.Must(template.New("history").Funcs(template.FuncMap{
	"say":   func(w catalog.Words, s catalog.Status) string { return w.Say(s) },
	"class": func(s catalog.Status) string { return strings.NewReplacer(" ", "", "/", "").Replace(string(s)) },
	"seal":  sealWord,
	"cell":  Day.statusOf,
}).Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="generator" content="tenantkit evidence history"><title>{{.W.History}}: {{.Tenant}}</title>
<style>body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse}td,th{border:1px solid #999;padding:.2em .4em;font-size:.85em}.s-FAIL,.s-ERROR,.s-NOREPORT{background:#fdd}.s-PASS{background:#dfd}</style></head>
<body><h1>{{.W.History}}: <span translate="no">{{.Tenant}}</span></h1>
<p>{{.From}} – {{.To}}</p>
<table id="history"><tr><th>{{.W.Day}}</th><th>{{.W.Overall}}</th><th>{{.W.Seal}}</th>{{range .IDs}}<th translate="no">{{.}}</th>{{end}}</tr>
{{range .Days}}{{$d := .}}<tr data-day="{{.Day}}" data-status="{{.Status}}"><td>{{.Day}}</td><td class="s-{{class .Status}}">{{say $.W .Status}}</td><td>{{seal . $.W}}</td>{{range $.IDs}}{{$s := cell $d .}}<td class="s-{{class $s}}">{{say $.W $s}}</td>{{end}}</tr>
{{end}}</table></body></html>
`))

// HistoryHTML renders the history as a page in a language.
func HistoryHTML(w io.Writer, tenant string, days []Day, lang string) error {
	return historyPage.Execute(w, map[string]any{"Lang": lang, "W": catalog.WordsIn(lang), "Tenant": tenant, "Days": days, "IDs": historyControls(days),
		"From": days[0].Day, "To": days[len(days)-1].Day})
}
