package verify

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/aws/smithy-go"
)

// Observations are what was read (#37 item 4): a check prints a field of
// AWS's answer, the error code AWS answered or a listing's count, never a
// sentence of its own in their place, so that even "absent" is what the
// answer said. TestObservationsComeFromTheAnswer holds every Pass, Fail
// and Pending to it.

// fieldOf renders the field at path (dotted, by the SDK's field names,
// which are the API's) of an answer as read: "HttpTokens optional",
// "MapPublicIpOnLaunch true", "IamInstanceProfile absent" (nil on the
// way), "BlockDeviceMappings none" (an empty list).
func fieldOf(answer any, path string) string {
	v := reflect.ValueOf(answer)
	for _, name := range strings.Split(path, ".") {
		v = deref(v)
		if !v.IsValid() {
			return path + " absent"
		}
		if v.Kind() != reflect.Struct {
			return fmt.Sprintf("%s: %s is no structure", path, v.Type())
		}
		v = v.FieldByName(name)
		if !v.IsValid() {
			return fmt.Sprintf("%s: the answer has no field %s", path, name)
		}
	}
	v = deref(v)
	switch {
	case !v.IsValid():
		return path + " absent"
	case (v.Kind() == reflect.Slice || v.Kind() == reflect.Map) && v.Len() == 0:
		return path + " none"
	}
	if t, ok := v.Interface().(time.Time); ok {
		return path + " " + t.UTC().Format(time.RFC3339)
	}
	return fmt.Sprintf("%s %v", path, v.Interface())
}

func deref(v reflect.Value) reflect.Value {
	for v.IsValid() && (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) {
		if v.IsNil() {
			return reflect.Value{}
		}
		v = v.Elem()
	}
	return v
}

// answered is the observation of an error AWS answered in place of the
// thing asked for (NoSuchLifecycleConfiguration, ResourceNotFoundException):
// "GetBucketLifecycleConfiguration answered NoSuchLifecycleConfiguration".
func answered(call string, err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return call + " answered " + ae.ErrorCode()
	}
	return call + " answered " + describe(err)
}

// notAmong is the observation of a name missing from a listing: how many
// the listing held, so a reader sees it was read (and an empty one from a
// full one).
func notAmong(n int, what, call string) string {
	return fmt.Sprintf("not among the %d %s %s answered", n, what, call)
}
