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
	s, err := SessionLogging(`{"inputs":{"cloudWatchLogGroupName":"/x","cloudWatchEncryptionEnabled":true,"kmsKeyId":"arn:k"}}`)
	if err != nil || s != (Session{Group: "/x", Encrypted: true, KmsKeyID: "arn:k"}) {
		t.Errorf("%+v %v", s, err)
	}
	if s, _ := SessionLogging(`{"inputs":{}}`); s != (Session{}) {
		t.Errorf("empty preferences read as %+v", s)
	}
	// What we write reads back as written.
	if s, err := SessionLogging(SessionPreferences("d", "/g", "arn:key", 20)); err != nil || s != (Session{Group: "/g", Encrypted: true, KmsKeyID: "arn:key"}) {
		t.Errorf("written preferences read as %+v %v", s, err)
	}
}
