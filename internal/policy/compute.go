package policy

const (
	tLaunchTemplate = "aws:ec2/launchTemplate:LaunchTemplate"
	tLB             = "aws:lb/loadBalancer:LoadBalancer"
	tListener       = "aws:lb/listener:Listener"
	tTargetGroup    = "aws:lb/targetGroup:TargetGroup"
	tAlarm          = "aws:cloudwatch/metricAlarm:MetricAlarm"
	tEventRule      = "aws:cloudwatch/eventRule:EventRule"
	tEventTarget    = "aws:cloudwatch/eventTarget:EventTarget"
	tRole           = "aws:iam/role:Role"
	tAccessKey      = "aws:iam/accessKey:AccessKey"
	tUser           = "aws:iam/user:User"
	tPasswordPolicy = "aws:iam/accountPasswordPolicy:AccountPasswordPolicy"
	tDetector       = "aws:guardduty/detector:Detector"
	tDetectorFeat   = "aws:guardduty/detectorFeature:DetectorFeature"
	tInspector      = "aws:inspector2/enabler:Enabler"
	tAssociation    = "aws:ssm/association:Association"
	tSSMDocument    = "aws:ssm/document:Document"
	tEBSDefault     = "aws:ebs/encryptionByDefault:EncryptionByDefault"
)

// requireTrue holds every resource of a type to a setting that must be on:
// each one applies when its input at path is true and fails otherwise
// (absent or computed included).
func requireTrue(in *Input, e *Eval, typ, path, observed, expected string) {
	for _, r := range in.Graph.OfType(typ) {
		if r.Get(path) != true {
			e.Fail(label(r), observed, expected)
		} else {
			e.Applies()
		}
	}
}
