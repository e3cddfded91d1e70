package awsdocs

import (
	"math"
	"testing"
)

func TestFindingsPattern(t *testing.T) {
	for _, tc := range []struct {
		pattern string
		gd      bool
		min     float64
	}{
		{`{"source":["aws.guardduty"],"detail":{"severity":[{"numeric":[">=",4]}]}}`, true, 4},
		{`{"source":["aws.guardduty"],"detail":{"severity":[{"numeric":[">",3.9]}]}}`, true, math.Nextafter(3.9, 5)},
		{`{"source":["aws.guardduty"],"detail":{"severity":[{"numeric":[">=",7,"<",9]}]}}`, true, 7},
		{`{"source":["aws.guardduty"]}`, true, math.Inf(1)},
		{`{"source":["aws.ec2"],"detail":{"severity":[{"numeric":[">=",1]}]}}`, false, 1},
	} {
		gd, min, err := FindingsPattern(tc.pattern)
		if err != nil || gd != tc.gd || min != tc.min {
			t.Errorf("%s: %v %v %v", tc.pattern, gd, min, err)
		}
	}
	if _, _, err := FindingsPattern("{"); err == nil {
		t.Error("broken pattern read")
	}
}

func TestSessionLogging(t *testing.T) {
	g, enc, err := SessionLogging(`{"inputs":{"cloudWatchLogGroupName":"/x","cloudWatchEncryptionEnabled":true}}`)
	if err != nil || g != "/x" || !enc {
		t.Errorf("%q %v %v", g, enc, err)
	}
	if g, enc, _ := SessionLogging(`{"inputs":{}}`); g != "" || enc {
		t.Errorf("empty preferences read as %q %v", g, enc)
	}
}
