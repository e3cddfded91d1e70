package verify

import (
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
)

// Whether a trail's event selectors record every object event of a bucket,
// evaluated the way CloudTrail does (CloudTrail API reference,
// AdvancedFieldSelector and AdvancedEventSelector): selectors are ORed; the
// field selectors of one selector are ANDed; within a field selector the
// values of Equals, StartsWith and EndsWith are ORed and each operator must
// hold, the values of the Not... operators must all hold. "Every object
// event" means every object key of the bucket, read and write: a selector
// proves coverage only if it admits all of them. A field or an operator
// this code does not understand proves nothing.

// objectEvents is the space a selector must admit entirely: one half per
// value of readOnly, because two selectors may split it.
var readOnlyValues = []string{"true", "false"}

// selectorCovers tells whether one advanced selector records every object
// event of bucketArn with the given readOnly value.
func selectorCovers(s cttypes.AdvancedEventSelector, bucketArn, readOnly string) bool {
	objects := bucketArn + "/"
	for _, f := range s.FieldSelectors {
		var ok bool
		switch aws.ToString(f.Field) {
		case "eventCategory":
			ok = admitsValue(f, "Data")
		case "resources.type":
			ok = admitsValue(f, "AWS::S3::Object")
		case "eventSource":
			ok = admitsValue(f, "s3.amazonaws.com")
		case "readOnly":
			ok = admitsValue(f, readOnly)
		case "resources.ARN":
			ok = admitsEveryKey(f, objects)
		default:
			return false // eventName, userIdentity.arn, ...: a restriction not evaluated
		}
		if !ok {
			return false
		}
	}
	return true
}

func hasOnly(f cttypes.AdvancedFieldSelector, ops ...string) bool {
	present := map[string]bool{
		"Equals": len(f.Equals) > 0, "StartsWith": len(f.StartsWith) > 0, "EndsWith": len(f.EndsWith) > 0,
		"NotEquals": len(f.NotEquals) > 0, "NotStartsWith": len(f.NotStartsWith) > 0, "NotEndsWith": len(f.NotEndsWith) > 0,
	}
	for op, has := range present {
		if has && !slices.Contains(ops, op) {
			return false
		}
	}
	return true
}

// admitsValue: the field, which takes the one value v for every event in
// question, passes every operator present.
func admitsValue(f cttypes.AdvancedFieldSelector, v string) bool {
	if len(f.Equals) > 0 && !slices.Contains(f.Equals, v) {
		return false
	}
	if len(f.StartsWith) > 0 && !slices.ContainsFunc(f.StartsWith, func(p string) bool { return strings.HasPrefix(v, p) }) {
		return false
	}
	if len(f.EndsWith) > 0 && !slices.ContainsFunc(f.EndsWith, func(p string) bool { return strings.HasSuffix(v, p) }) {
		return false
	}
	if slices.Contains(f.NotEquals, v) ||
		slices.ContainsFunc(f.NotStartsWith, func(p string) bool { return strings.HasPrefix(v, p) }) ||
		slices.ContainsFunc(f.NotEndsWith, func(p string) bool { return strings.HasSuffix(v, p) }) {
		return false
	}
	return true
}

// admitsEveryKey: the ARN field takes every value objects+<key>; every
// operator present must admit them all. Equals and EndsWith name some keys
// only; StartsWith must be a prefix of objects; a NotStartsWith or
// NotEquals inside the bucket, or a NotEndsWith at all, excludes keys.
func admitsEveryKey(f cttypes.AdvancedFieldSelector, objects string) bool {
	if !hasOnly(f, "StartsWith", "NotStartsWith", "NotEquals") {
		return false
	}
	if len(f.StartsWith) > 0 && !slices.ContainsFunc(f.StartsWith, func(p string) bool { return strings.HasPrefix(objects, p) }) {
		return false
	}
	for _, p := range f.NotStartsWith {
		if strings.HasPrefix(objects, p) || strings.HasPrefix(p, objects) {
			return false
		}
	}
	for _, v := range f.NotEquals {
		if strings.HasPrefix(v, objects) {
			return false
		}
	}
	return true
}

// trailCovers: the advanced selectors, or the basic ones, record every
// object event (read and write) of the bucket.
func trailCovers(adv []cttypes.AdvancedEventSelector, basic []cttypes.EventSelector, bucketArn string) bool {
	for _, ro := range readOnlyValues {
		covered := slices.ContainsFunc(adv, func(s cttypes.AdvancedEventSelector) bool { return selectorCovers(s, bucketArn, ro) })
		if !covered {
			covered = slices.ContainsFunc(basic, func(s cttypes.EventSelector) bool { return basicCovers(s, bucketArn, ro) })
		}
		if !covered {
			return false
		}
	}
	return true
}

// basicCovers: a basic event selector's S3 object data resources (CloudTrail
// API reference, DataResource): "arn:aws:s3" is every bucket, a value
// ending in "/" is a bucket's objects (or a prefix of them, which is not all).
func basicCovers(s cttypes.EventSelector, bucketArn, readOnly string) bool {
	switch s.ReadWriteType {
	case cttypes.ReadWriteTypeAll, "":
	case cttypes.ReadWriteTypeReadOnly:
		if readOnly != "true" {
			return false
		}
	case cttypes.ReadWriteTypeWriteOnly:
		if readOnly != "false" {
			return false
		}
	default:
		return false
	}
	for _, d := range s.DataResources {
		if aws.ToString(d.Type) != "AWS::S3::Object" {
			continue
		}
		for _, v := range d.Values {
			if v == "arn:aws:s3" || v == "arn:aws:s3:::" || v == bucketArn+"/" {
				return true
			}
		}
	}
	return false
}
